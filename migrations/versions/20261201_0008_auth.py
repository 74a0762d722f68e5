"""Server-side sessions and credentials (placeholder: filled in by the work that needs it, else removed).

Revision ID: 0009_auth
Revises: 0008_integrity
Create Date: 2026-12-01 16:00:00

"""

revision = "0009_auth"
down_revision = "0008_integrity"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
