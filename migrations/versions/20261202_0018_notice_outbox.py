"""Notices through a transactional outbox: the PDF rendered after commit, stored apart from the facts the chain covers (issue 14).

Revision ID: 0018_notice_outbox
Revises: 0017_idempotency
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0018_notice_outbox"
down_revision = "0017_idempotency"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
