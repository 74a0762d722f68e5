"""Every yuan accounted for: enterprise profile and payee account, frozen payees, recorded
reductions, 补正期限, full department names and contacts, policy basis, exclusive groups,
and the administrator's calendar days.

Revision ID: 0005_accounted
Revises: 0004_batch_list
Create Date: 2026-12-01 15:42:58

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0005_accounted"
down_revision = "0004_batch_list"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_ledger_entries_kind_known"), type_="check")
        batch_op.create_check_constraint(
            "kind_known", "kind IN ('reserve', 'release', 'pay', 'recover', 'reduce')"
        )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("workday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "payee_account_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=False),
        sa.Column("at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("old_bank_name", sa.String(length=128), nullable=True),
        sa.Column("old_account_masked", sa.String(length=32), nullable=True),
        sa.Column("old_account_name", sa.String(length=128), nullable=True),
        sa.Column("new_bank_name", sa.String(length=128), nullable=True),
        sa.Column("new_account_masked", sa.String(length=32), nullable=True),
        sa.Column("new_account_name", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_payee_account_changes_changed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_payee_account_changes_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payee_account_changes")),
    )
    with op.batch_alter_table("payee_account_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payee_account_changes_enterprise_id"), ["enterprise_id"], unique=False
        )

    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payee_bank_name", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("payee_account", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("payee_account_name", sa.String(length=128), nullable=True))

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paid_amount", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(
            sa.Column("reduction", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.add_column(sa.Column("reduction_reason", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("payee_bank_name", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("payee_account", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("payee_account_name", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("supplement_due", sa.Date(), nullable=True))
        batch_op.create_check_constraint("paid_positive", "paid_amount IS NULL OR paid_amount > 0")
        batch_op.create_check_constraint("reduction_positive", "reduction IS NULL OR reduction > 0")

    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("full_name", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("contact_name", sa.String(length=32), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("contact_phone", sa.String(length=32), nullable=False, server_default="")
        )

    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "legal_representative", sa.String(length=64), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column("contact_name", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("contact_phone", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("contact_email", sa.String(length=254), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("account_name", sa.String(length=128), nullable=True))

    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("basis_title", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("basis_number", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("basis_clause", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("exclusive_group", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("exclusive_group")
        batch_op.drop_column("basis_clause")
        batch_op.drop_column("basis_number")
        batch_op.drop_column("basis_title")

    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_column("account_name")
        batch_op.drop_column("contact_email")
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_name")
        batch_op.drop_column("legal_representative")

    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_column("contact_phone")
        batch_op.drop_column("contact_name")
        batch_op.drop_column("full_name")

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_claims_reduction_positive"), type_="check")
        batch_op.drop_constraint(op.f("ck_claims_paid_positive"), type_="check")
        batch_op.drop_column("supplement_due")
        batch_op.drop_column("payee_account_name")
        batch_op.drop_column("payee_account")
        batch_op.drop_column("payee_bank_name")
        batch_op.drop_column("reduction_reason")
        batch_op.drop_column("reduction")
        batch_op.drop_column("paid_amount")

    with op.batch_alter_table("batch_items", schema=None) as batch_op:
        batch_op.drop_column("payee_account_name")
        batch_op.drop_column("payee_account")
        batch_op.drop_column("payee_bank_name")

    with op.batch_alter_table("payee_account_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payee_account_changes_enterprise_id"))

    op.drop_table("payee_account_changes")
    op.drop_table("calendar_days")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_ledger_entries_kind_known"), type_="check")
        batch_op.create_check_constraint(
            "kind_known", "kind IN ('reserve', 'release', 'pay', 'recover')"
        )
