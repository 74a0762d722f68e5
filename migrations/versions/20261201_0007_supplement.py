"""Supplement deadlines (placeholder: filled in by the work that needs it, else removed).

Revision ID: 0007_supplement
Revises: 0006_money
Create Date: 2026-12-01 16:00:00

"""

revision = "0007_supplement"
down_revision = "0006_money"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
