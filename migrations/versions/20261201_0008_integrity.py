"""Claims integrity (placeholder: filled in by the work that needs it, else removed).

Revision ID: 0008_integrity
Revises: 0007_supplement
Create Date: 2026-12-01 16:00:00

"""

revision = "0008_integrity"
down_revision = "0007_supplement"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
