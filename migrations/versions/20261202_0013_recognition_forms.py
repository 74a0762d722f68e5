"""The 申请认定表 (application-recognition form) a department sends to 市财政局（企业科）.

- recognition_forms: a department's form for one call year, its status (prepared, checked,
  sent, returned), its batch number once sent (第N批) and who prepared, checked and sent it;
- recognition_form_items: the claims it lists, with the assessed amount and opinion frozen;
- recognition_form_events: each step taken on it (who, in which position, when, what they
  wrote);
- notices.recognition_form_id: a sent form is issued as one notice, of no single claim.

Revision ID: 0013_recognition_forms
Revises: 0012_payout_lines
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa
from alembic import op

from approvals.audit import append_only

revision = "0013_recognition_forms"
down_revision = "0012_payout_lines"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
TIME = sa.DateTime(timezone=True)
CLAIM_OR_BATCH = (
    "(claim_id IS NOT NULL AND event_id IS NOT NULL AND batch_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NOT NULL)"
)
CLAIM_BATCH_OR_FORM = (
    "(claim_id IS NOT NULL AND event_id IS NOT NULL AND batch_id IS NULL"
    " AND recognition_form_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NOT NULL"
    " AND recognition_form_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
    " AND recognition_form_id IS NOT NULL)"
)


def _rebuilding(bind) -> bool:
    """SQLite rebuilds a table to change a constraint, dropping its triggers with it;
    PostgreSQL alters it in place and keeps them."""
    return bind.dialect.name == "sqlite"


def upgrade():
    op.create_table(
        "recognition_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("call_year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("prepared_by_id", sa.Integer(), nullable=False),
        sa.Column("prepared_at", TIME, nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", TIME, nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('prepared', 'checked', 'sent', 'sent_back')",
            name=op.f("ck_recognition_forms_known_status"),
        ),
        sa.CheckConstraint(
            "(status = 'sent') = (seq IS NOT NULL AND sent_at IS NOT NULL)",
            name=op.f("ck_recognition_forms_sent"),
        ),
        sa.CheckConstraint(
            "checked_by_id IS NULL OR checked_by_id != prepared_by_id",
            name=op.f("ck_recognition_forms_four_eyes_check"),
        ),
        sa.CheckConstraint(
            "sent_by_id IS NULL OR (sent_by_id != prepared_by_id AND sent_by_id != checked_by_id)",
            name=op.f("ck_recognition_forms_four_eyes_send"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_recognition_forms_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["prepared_by_id"], ["users.id"], name=op.f("fk_recognition_forms_prepared_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_recognition_forms_checked_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_id"], ["users.id"], name=op.f("fk_recognition_forms_sent_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_forms")),
        sa.UniqueConstraint(
            "department_id", "call_year", "seq", name=op.f("uq_recognition_forms_batch")
        ),
    )
    op.create_index(
        "ix_recognition_forms_call_year_department_id",
        "recognition_forms",
        ["call_year", "department_id"],
        unique=False,
    )
    op.create_table(
        "recognition_form_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("approved_amount", MONEY, nullable=True),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("forwarded_at", TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_recognition_form_items_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["recognition_forms.id"],
            name=op.f("fk_recognition_form_items_form_id_recognition_forms"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_form_items")),
        sa.UniqueConstraint(
            "form_id", "claim_id", name=op.f("uq_recognition_form_items_form_claim")
        ),
    )
    with op.batch_alter_table("recognition_form_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recognition_form_items_claim_id"), ["claim_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recognition_form_items_form_id"), ["form_id"], unique=False
        )
    op.create_table(
        "recognition_form_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.String(length=16), nullable=True),
        sa.Column("at", TIME, nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "action IN ('prepare', 'check', 'send', 'return')",
            name=op.f("ck_recognition_form_events_known_action"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_recognition_form_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["recognition_forms.id"],
            name=op.f("fk_recognition_form_events_form_id_recognition_forms"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition_form_events")),
    )
    with op.batch_alter_table("recognition_form_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recognition_form_events_form_id"), ["form_id"], unique=False
        )

    # SQLite rebuilds notices to change its CHECK constraint, and drops its append-only
    # triggers with it: they are dropped first and made again on the new table.
    bind = op.get_bind()
    if _rebuilding(bind):
        append_only.drop_triggers(bind, ("notices",))
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recognition_form_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_notices_of_a_claim_or_a_batch"), type_="check")
        batch_op.create_check_constraint("of_a_claim_a_batch_or_a_form", CLAIM_BATCH_OR_FORM)
        batch_op.create_unique_constraint(
            batch_op.f("uq_notices_recognition_form_id"), ["recognition_form_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_notices_recognition_form_id_recognition_forms"),
            "recognition_forms",
            ["recognition_form_id"],
            ["id"],
        )
    if _rebuilding(bind):
        append_only.create_triggers(bind, ("notices",))


def downgrade():
    bind = op.get_bind()
    # The forms' notices go with the forms, past the append-only triggers meanwhile.
    if _rebuilding(bind):
        append_only.drop_triggers(bind, ("notices",))
    else:
        op.execute("ALTER TABLE notices DISABLE TRIGGER notices_append_only")
    bind.execute(sa.text("DELETE FROM notices WHERE recognition_form_id IS NOT NULL"))
    if not _rebuilding(bind):
        op.execute("ALTER TABLE notices ENABLE TRIGGER notices_append_only")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notices_recognition_form_id_recognition_forms"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_notices_recognition_form_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("ck_notices_of_a_claim_a_batch_or_a_form"), type_="check"
        )
        batch_op.create_check_constraint("of_a_claim_or_a_batch", CLAIM_OR_BATCH)
        batch_op.drop_column("recognition_form_id")
    if _rebuilding(bind):
        append_only.create_triggers(bind, ("notices",))
    with op.batch_alter_table("recognition_form_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recognition_form_events_form_id"))
    op.drop_table("recognition_form_events")
    with op.batch_alter_table("recognition_form_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recognition_form_items_form_id"))
        batch_op.drop_index(batch_op.f("ix_recognition_form_items_claim_id"))
    op.drop_table("recognition_form_items")
    op.drop_index("ix_recognition_forms_call_year_department_id", table_name="recognition_forms")
    op.drop_table("recognition_forms")
