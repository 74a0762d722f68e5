"""Input limits (placeholder: filled in by the work that needs it, else removed).

Revision ID: 0011_input
Revises: 0010_audit
Create Date: 2026-12-01 16:00:00

"""

revision = "0011_input"
down_revision = "0010_audit"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
