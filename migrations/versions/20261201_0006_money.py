"""Finance records reductions (placeholder: filled in by the work that needs it, else removed).

Revision ID: 0006_money
Revises: 0005_accounted
Create Date: 2026-12-01 16:00:00

"""

revision = "0006_money"
down_revision = "0005_accounted"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
