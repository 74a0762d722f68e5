"""Finance: budgets, the append-only ledger, payout batches, recoveries; amount rules.

Revision ID: 0002_finance
Revises: 0001_initial
Create Date: 2026-11-25 12:58:54.649218

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002_finance"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


APPEND_ONLY = """
CREATE FUNCTION ledger_entries_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_refuse_change();
"""


def upgrade():
    op.create_table(
        "batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scaling", sa.JSON(), nullable=False),
        sa.Column("list_number", sa.String(length=64), nullable=True),
        sa.Column("list_sha256", sa.String(length=64), nullable=True),
        sa.Column("list_pdf", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "(state = 'confirmed') = (confirmed_at IS NOT NULL)",
            name=op.f("ck_batches_confirmed_at_iff_confirmed"),
        ),
        sa.CheckConstraint(
            "state IN ('draft', 'confirming', 'confirmed')", name=op.f("ck_batches_state_known")
        ),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_batches_seq_positive")),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["users.id"], name=op.f("fk_batches_confirmed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_batches_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.UniqueConstraint("list_number", name=op.f("uq_batches_list_number")),
        sa.UniqueConstraint("year", "seq", name="uq_batches_year_seq"),
    )
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("reserved", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("paid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("recovered", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_budgets_amount_not_negative")),
        sa.CheckConstraint("recovered <= paid", name=op.f("ck_budgets_recovered_within_paid")),
        sa.CheckConstraint(
            "reserved + paid <= amount", name=op.f("ck_budgets_committed_within_amount")
        ),
        sa.CheckConstraint(
            "reserved >= 0 AND paid >= 0 AND recovered >= 0",
            name=op.f("ck_budgets_sums_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_budgets_policy_id_policies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint("policy_id", "year", name="uq_budgets_policy_id_year"),
    )
    op.create_table(
        "batch_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("approved_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("rounding_fen", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'paid') = (event_id IS NOT NULL)", name=op.f("ck_batch_items_paid_iff_event")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'paid')", name=op.f("ck_batch_items_status_known")
        ),
        sa.CheckConstraint(
            "amount > 0 AND amount <= approved_amount",
            name=op.f("ck_batch_items_amount_within_approved"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_batch_items_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_batch_items_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["claim_events.id"], name=op.f("fk_batch_items_event_id_claim_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_items")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_batch_items_claim_id")),
        sa.UniqueConstraint("event_id", name=op.f("uq_batch_items_event_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_batch_items_reference")),
    )
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_items_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("budget_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('reserve', 'release', 'pay', 'recover')",
            name=op.f("ck_ledger_entries_kind_known"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_ledger_entries_amount_positive")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_ledger_entries_batch_id_batches")
        ),
        sa.ForeignKeyConstraint(
            ["budget_id"], ["budgets.id"], name=op.f("fk_ledger_entries_budget_id_budgets")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_ledger_entries_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["claim_events.id"], name=op.f("fk_ledger_entries_event_id_claim_events")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entries_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ledger_entries_budget_id"), ["budget_id"], unique=False
        )
        batch_op.create_index("ix_ledger_entries_claim_id_kind", ["claim_id", "kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_ledger_entries_event_id"), ["event_id"], unique=False)

    op.create_table(
        "recoveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("amount_due", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("repaid", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened_event_id", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('recovered', 'written_off')",
            name=op.f("ck_recoveries_outcome_known"),
        ),
        sa.CheckConstraint(
            "(outcome IS NULL) = (closed_at IS NULL)", name=op.f("ck_recoveries_closed_iff_outcome")
        ),
        sa.CheckConstraint("amount_due > 0", name=op.f("ck_recoveries_amount_due_positive")),
        sa.CheckConstraint(
            "repaid >= 0 AND repaid <= amount_due", name=op.f("ck_recoveries_repaid_within_due")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_recoveries_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["opened_event_id"],
            ["claim_events.id"],
            name=op.f("fk_recoveries_opened_event_id_claim_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recoveries")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_recoveries_claim_id")),
    )
    op.create_table(
        "repayments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recovery_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_repayments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["event_id"], ["claim_events.id"], name=op.f("fk_repayments_event_id_claim_events")
        ),
        sa.ForeignKeyConstraint(
            ["recovery_id"], ["recoveries.id"], name=op.f("fk_repayments_recovery_id_recoveries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repayments")),
        sa.UniqueConstraint("event_id", name=op.f("uq_repayments_event_id")),
    )
    with op.batch_alter_table("repayments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_repayments_recovery_id"), ["recovery_id"], unique=False
        )

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount_inputs", sa.JSON(), nullable=True))

    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("amount_rule", sa.JSON(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        # The ledger is append-only in the database too, not only in the ORM.
        op.execute(APPEND_ONLY)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries")
        op.execute("DROP FUNCTION ledger_entries_refuse_change()")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("amount_rule")

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("amount_inputs")

    with op.batch_alter_table("repayments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_repayments_recovery_id"))

    op.drop_table("repayments")
    op.drop_table("recoveries")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entries_event_id"))
        batch_op.drop_index("ix_ledger_entries_claim_id_kind")
        batch_op.drop_index(batch_op.f("ix_ledger_entries_budget_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_entries_batch_id"))

    op.drop_table("ledger_entries")
    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_items_batch_id"))

    op.drop_table("batch_items")
    op.drop_table("budgets")
    op.drop_table("batches")
