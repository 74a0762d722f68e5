"""A clause's 兑现时限 (payout promised within n working days of acceptance) and the date a
claim's promise falls due (approvals/claims/promise.py).

Revision ID: 0030_payout_promise
Revises: 0029_supervision
Create Date: 2026-12-04 19:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0030_payout_promise"
down_revision = "0029_supervision"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN: a batch (copy and move) of claims on SQLite would drop its triggers.
    for table in ("policies", "policy_versions"):
        op.add_column(table, sa.Column("promise_days", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("promise_due", sa.Date(), nullable=True))
    op.add_column("claims", sa.Column("promise_kept", sa.Boolean(), nullable=True))


def downgrade():
    op.drop_column("claims", "promise_kept")
    op.drop_column("claims", "promise_due")
    for table in ("policy_versions", "policies"):
        op.drop_column(table, "promise_days")
