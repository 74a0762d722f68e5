"""Supervision notices (督办通知, issue 15): what 市府办 issued when a step's deadline passed
three working days ago with claims still waiting, and the overdue claims each lists.

- supervisions: one per escalation timer (timers.id, unique), addressed to the office that
  must act in the state; supervision_items: the claims it lists and their days overdue.
- notices.supervision_id: the notice is one document about many claims, of no single claim.

The reminders before and at a deadline are messages (approvals/notifications) and timers
(0025): no table of their own.

Revision ID: 0029_supervision
Revises: 0028_policy_guides
Create Date: 2026-12-04 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db
from approvals.audit import append_only

revision = "0029_supervision"
down_revision = "0028_policy_guides"
branch_labels = None
depends_on = None

OWNERS = ("batch_id", "recognition_form_id", "publicity_id")


def _one_of(owners: tuple[str, ...]) -> str:
    """A notice is a claim's (claim and event) or belongs to exactly one document owner."""

    def branch(claim: bool, owner: str | None) -> str:
        held = "IS NOT NULL" if claim else "IS NULL"
        parts = [f"claim_id {held}", f"event_id {held}"]
        parts += [f"{o} IS {'NOT ' if o == owner else ''}NULL" for o in owners]
        return "(" + " AND ".join(parts) + ")"

    return " OR ".join([branch(True, None), *(branch(False, o) for o in owners)])


BEFORE = _one_of(OWNERS)
AFTER = _one_of((*OWNERS, "supervision_id"))


def _rebuilding(bind) -> bool:
    """SQLite rebuilds a table to change a constraint, dropping its triggers with it;
    PostgreSQL alters it in place and keeps them."""
    return bind.dialect.name == "sqlite"


def upgrade():
    op.create_table(
        "supervisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("timer_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("workflow", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("deadline", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.Column("issued_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("claim_count >= 1", name=op.f("ck_supervisions_lists_a_claim")),
        sa.ForeignKeyConstraint(
            ["timer_id"], ["timers.id"], name=op.f("fk_supervisions_timer_id_timers")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_supervisions_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervisions")),
        sa.UniqueConstraint("timer_id", name=op.f("uq_supervisions_timer_id")),
    )
    with op.batch_alter_table("supervisions") as batch_op:
        batch_op.create_index(
            "ix_supervisions_department_id_id", ["department_id", "id"], unique=False
        )

    op.create_table(
        "supervision_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervision_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "days_overdue >= 0", name=op.f("ck_supervision_items_days_overdue_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["supervision_id"],
            ["supervisions.id"],
            name=op.f("fk_supervision_items_supervision_id_supervisions"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_supervision_items_claim_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_items")),
        sa.UniqueConstraint("supervision_id", "claim_id", name="uq_supervision_items_claim"),
    )
    with op.batch_alter_table("supervision_items") as batch_op:
        batch_op.create_index("ix_supervision_items_claim_id", ["claim_id"], unique=False)

    # SQLite rebuilds notices to change its CHECK constraint, and drops its append-only
    # triggers with it: they are dropped first and made again on the new table.
    bind = op.get_bind()
    if _rebuilding(bind):
        append_only.drop_triggers(bind, ("notices",))
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supervision_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_notices_of_a_claim_or_one_document"), type_="check")
        batch_op.create_check_constraint("of_a_claim_or_one_document", AFTER)
        batch_op.create_unique_constraint(
            batch_op.f("uq_notices_supervision_id"), ["supervision_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_notices_supervision_id_supervisions"),
            "supervisions",
            ["supervision_id"],
            ["id"],
        )
    if _rebuilding(bind):
        append_only.create_triggers(bind, ("notices",))


def downgrade():
    bind = op.get_bind()
    # The 督办通知 (and their files) go with the supervisions, past the append-only
    # triggers meanwhile.
    record = ("notices", "notice_files")
    if _rebuilding(bind):
        append_only.drop_triggers(bind, record)
    else:
        for table in record:
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    bind.execute(
        sa.text(
            "DELETE FROM notice_files WHERE notice_id IN"
            " (SELECT id FROM notices WHERE supervision_id IS NOT NULL)"
        )
    )
    bind.execute(sa.text("DELETE FROM notices WHERE supervision_id IS NOT NULL"))
    if not _rebuilding(bind):
        for table in record:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notices_supervision_id_supervisions"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_notices_supervision_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_notices_of_a_claim_or_one_document"), type_="check")
        batch_op.create_check_constraint("of_a_claim_or_one_document", BEFORE)
        batch_op.drop_column("supervision_id")
    if _rebuilding(bind):
        append_only.create_triggers(bind, record)
    with op.batch_alter_table("supervision_items") as batch_op:
        batch_op.drop_index("ix_supervision_items_claim_id")
    op.drop_table("supervision_items")
    with op.batch_alter_table("supervisions") as batch_op:
        batch_op.drop_index("ix_supervisions_department_id_id")
    op.drop_table("supervisions")
