"""Paid amounts recorded on claims: backfill `claims.paid_amount` from the ledger.

Before this revision a payout was recorded only in the ledger (and a pro-rata cut
rewrote the approved amount, its rest released). Claims paid then get their paid amount
from the ledger's `pay` entries, so that per claim approved = paid + reduced holds for
them too; the ledger itself is append-only and stays as it was.

Revision ID: 0006_money
Revises: 0005_accounted
Create Date: 2026-12-01 16:00:00

"""

from alembic import op

revision = "0006_money"
down_revision = "0005_accounted"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE claims SET paid_amount = ("
        " SELECT SUM(l.amount) FROM ledger_entries l"
        " WHERE l.claim_id = claims.id AND l.kind = 'pay')"
        " WHERE paid_amount IS NULL AND EXISTS ("
        " SELECT 1 FROM ledger_entries l WHERE l.claim_id = claims.id AND l.kind = 'pay')"
    )


def downgrade():
    pass  # the column stays (0005 owns it); the values are facts, not schema
