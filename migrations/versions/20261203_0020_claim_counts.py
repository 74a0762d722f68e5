"""Queue counts kept by the database: `claim_counts`, per state, department, clause and slot,
maintained by triggers on `claims` and filled from the claims already there (issue 14).

Revision ID: 0020_claim_counts
Revises: 0019_overdue_index
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

from approvals.claims import counts

revision = "0020_claim_counts"
down_revision = "0019_overdue_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "claim_counts",
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "state", "department_id", "policy_id", "slot", name=op.f("pk_claim_counts")
        ),
    )
    bind = op.get_bind()
    counts.execute(bind, counts.RECOUNT)
    counts.create_triggers(bind)


def downgrade():
    bind = op.get_bind()
    for statement in counts.DROP[bind.dialect.name]:
        counts.execute(bind, statement)
    op.drop_table("claim_counts")
