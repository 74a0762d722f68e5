"""Tamper-evident record (placeholder: filled in by the work that needs it, else removed).

Revision ID: 0010_audit
Revises: 0009_auth
Create Date: 2026-12-01 16:00:00

"""

revision = "0010_audit"
down_revision = "0009_auth"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
