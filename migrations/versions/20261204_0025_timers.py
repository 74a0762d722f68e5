"""Timers as rows (approvals/workflow/timers.py), and a claim's step clock: its deadline's
provisional mark, and the working days left of a counted step while the claim waits for
补正 (approvals/claims/step_clock.py).

Revision ID: 0025_timers
Revises: 0024_claim_counts_storage
Create Date: 2026-12-04 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0025_timers"
down_revision = "0024_claim_counts_storage"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=32), nullable=True),
        sa.Column("deadline", approvals.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("due_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fired_at", approvals.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_timers_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_timers_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timers")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_timers_kind")),
    )
    with op.batch_alter_table("timers") as batch_op:
        batch_op.create_index("ix_timers_claim_id", ["claim_id"], unique=False)
        batch_op.create_index(
            "ix_timers_pending_due_at",
            ["due_at"],
            unique=False,
            postgresql_where=sa.text("fired_at IS NULL"),
            sqlite_where=sa.text("fired_at IS NULL"),
        )
    # Plain ALTER TABLE ADD COLUMN: a batch (copy and move) of claims on SQLite would drop
    # the triggers that keep claim_counts (approvals/claims/counts.py).
    op.add_column(
        "claims",
        sa.Column("due_provisional", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("claims", sa.Column("clock_left", sa.Integer(), nullable=True))
    op.add_column("claims", sa.Column("clock_state", sa.String(length=32), nullable=True))


def downgrade():
    for column in ("clock_state", "clock_left", "due_provisional"):
        op.drop_column("claims", column)  # SQLite 3.35+ drops a plain column in place
    op.drop_table("timers")
