"""Publicity (公示) and objections (异议): a policy's publicity period in working days
(`publicity_days` on the clause and its versions), the published lists, their items, and the
objections lodged against them.

- notices.publicity_id: a list is issued as one notice (公示通知), of no single claim.

Revision ID: 0026_publicity
Revises: 0025_timers
Create Date: 2026-12-04 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db
from approvals.audit import append_only

revision = "0026_publicity"
down_revision = "0025_timers"
branch_labels = None
depends_on = None

TERMS_TABLES = ("policies", "policy_versions")
CLAIM_BATCH_OR_FORM = (
    "(claim_id IS NOT NULL AND event_id IS NOT NULL AND batch_id IS NULL"
    " AND recognition_form_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NOT NULL"
    " AND recognition_form_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
    " AND recognition_form_id IS NOT NULL)"
)
CLAIM_OR_ONE_DOCUMENT = (
    "(claim_id IS NOT NULL AND event_id IS NOT NULL AND batch_id IS NULL"
    " AND recognition_form_id IS NULL AND publicity_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NOT NULL"
    " AND recognition_form_id IS NULL AND publicity_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
    " AND recognition_form_id IS NOT NULL AND publicity_id IS NULL)"
    " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
    " AND recognition_form_id IS NULL AND publicity_id IS NOT NULL)"
)


def _rebuilding(bind) -> bool:
    """SQLite rebuilds a table to change a constraint, dropping its triggers with it;
    PostgreSQL alters it in place and keeps them."""
    return bind.dialect.name == "sqlite"


def upgrade():
    for table in TERMS_TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("publicity_days", sa.Integer(), nullable=True))

    op.create_table(
        "publicities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=False),
        sa.Column("published_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_publicities_period_ordered")),
        sa.CheckConstraint("days >= 1 AND days <= 30", name=op.f("ck_publicities_days_in_range")),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_publicities_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_publicities_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_publicities_published_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicities")),
    )
    with op.batch_alter_table("publicities") as batch_op:
        batch_op.create_index("ix_publicities_policy_id", ["policy_id"], unique=False)

    op.create_table(
        "publicity_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publicity_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_name", sa.String(length=128), nullable=False),
        sa.Column("project_title", sa.String(length=200), nullable=False),
        sa.Column("approved_amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.CheckConstraint(
            "status IN ('listed', 'reopened')", name=op.f("ck_publicity_items_status_known")
        ),
        sa.CheckConstraint(
            "approved_amount >= 0", name=op.f("ck_publicity_items_amount_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["publicity_id"],
            ["publicities.id"],
            name=op.f("fk_publicity_items_publicity_id_publicities"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_publicity_items_claim_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_items")),
        sa.UniqueConstraint("publicity_id", "claim_id", name="uq_publicity_items_claim"),
    )
    with op.batch_alter_table("publicity_items") as batch_op:
        batch_op.create_index(
            "ix_publicity_items_claim_id_status", ["claim_id", "status"], unique=False
        )

    op.create_table(
        "publicity_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("lodged_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("objector_name", sa.String(length=64), nullable=False),
        sa.Column("objector_phone", sa.String(length=20), nullable=False),
        sa.Column("objector_email", sa.String(length=254), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=False),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("evidence_filename", sa.String(length=255), nullable=False),
        sa.Column("evidence_type", sa.String(length=64), nullable=False),
        sa.Column("evidence_size", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("resolved_by_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", approvals.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'upheld', 'dismissed')",
            name=op.f("ck_publicity_objections_status_known"),
        ),
        sa.CheckConstraint(
            "(status = 'open') = (resolved_at IS NULL AND resolved_by_id IS NULL)",
            name=op.f("ck_publicity_objections_resolved_iff_settled"),
        ),
        sa.CheckConstraint(
            "status = 'open' OR resolution <> ''",
            name=op.f("ck_publicity_objections_settled_with_reasons"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["publicity_items.id"],
            name=op.f("fk_publicity_objections_item_id_publicity_items"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_publicity_objections_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["users.id"],
            name=op.f("fk_publicity_objections_resolved_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_objections")),
    )
    with op.batch_alter_table("publicity_objections") as batch_op:
        batch_op.create_index(
            "ix_publicity_objections_department_id_status",
            ["department_id", "status"],
            unique=False,
        )
        batch_op.create_index("ix_publicity_objections_item_id", ["item_id"], unique=False)

    # SQLite rebuilds notices to change its CHECK constraint, and drops its append-only
    # triggers with it: they are dropped first and made again on the new table.
    bind = op.get_bind()
    if _rebuilding(bind):
        append_only.drop_triggers(bind, ("notices",))
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publicity_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(
            batch_op.f("ck_notices_of_a_claim_a_batch_or_a_form"), type_="check"
        )
        batch_op.create_check_constraint("of_a_claim_or_one_document", CLAIM_OR_ONE_DOCUMENT)
        batch_op.create_unique_constraint(batch_op.f("uq_notices_publicity_id"), ["publicity_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_notices_publicity_id_publicities"),
            "publicities",
            ["publicity_id"],
            ["id"],
        )
    if _rebuilding(bind):
        append_only.create_triggers(bind, ("notices",))


def downgrade():
    bind = op.get_bind()
    # The lists' notices (and their files) go with the lists, past the append-only
    # triggers meanwhile.
    record = ("notices", "notice_files")
    if _rebuilding(bind):
        append_only.drop_triggers(bind, record)
    else:
        for table in record:
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
    listed = "SELECT id FROM notices WHERE publicity_id IS NOT NULL"
    bind.execute(sa.text(f"UPDATE messages SET notice_id = NULL WHERE notice_id IN ({listed})"))
    bind.execute(sa.text(f"DELETE FROM notice_files WHERE notice_id IN ({listed})"))
    bind.execute(sa.text("DELETE FROM notices WHERE publicity_id IS NOT NULL"))
    if not _rebuilding(bind):
        for table in record:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_notices_publicity_id_publicities"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_notices_publicity_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_notices_of_a_claim_or_one_document"), type_="check")
        batch_op.create_check_constraint("of_a_claim_a_batch_or_a_form", CLAIM_BATCH_OR_FORM)
        batch_op.drop_column("publicity_id")
    if _rebuilding(bind):
        append_only.create_triggers(bind, record)
    with op.batch_alter_table("publicity_objections") as batch_op:
        batch_op.drop_index("ix_publicity_objections_item_id")
        batch_op.drop_index("ix_publicity_objections_department_id_status")
    op.drop_table("publicity_objections")
    with op.batch_alter_table("publicity_items") as batch_op:
        batch_op.drop_index("ix_publicity_items_claim_id_status")
    op.drop_table("publicity_items")
    with op.batch_alter_table("publicities") as batch_op:
        batch_op.drop_index("ix_publicities_policy_id")
    op.drop_table("publicities")
    for table in reversed(TERMS_TABLES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("publicity_days")
