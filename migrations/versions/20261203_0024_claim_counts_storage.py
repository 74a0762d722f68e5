"""claim_counts on PostgreSQL: vacuumed after a fixed number of changes and half-filled pages
(approvals/claims/counts.py `STORAGE`): a million moves left its count reading 950k dead row
versions (issue 14's queue at 1M).

Revision ID: 0024_claim_counts_storage
Revises: 0023_agent_index
Create Date: 2026-12-03 14:40:00

"""

from alembic import op

from approvals.claims import counts

revision = "0024_claim_counts_storage"
down_revision = "0023_agent_index"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        counts.execute(bind, counts.STORAGE)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        counts.execute(
            bind,
            "ALTER TABLE claim_counts RESET (fillfactor, autovacuum_vacuum_scale_factor,"
            " autovacuum_vacuum_threshold, autovacuum_vacuum_cost_delay)",
        )
