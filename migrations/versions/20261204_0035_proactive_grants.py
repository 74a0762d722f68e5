"""免申即享: proactive grants imported by a department and confirmed by the enterprise.

A clause may be marked proactive, with the working days an offer stays open (policies and
their versions); each uploaded list of eligible enterprises is a row of proactive_imports
(with the rows it refused), each offer a row of proactive_offers beside its claim.

Revision ID: 0035_proactive_grants
Revises: 0034_ratings
Create Date: 2026-12-04 20:15:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0035_proactive_grants"
down_revision = "0034_ratings"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, as 0030 does: no batch copy of the policies' tables.
    for table in ("policies", "policy_versions"):
        op.add_column(
            table,
            sa.Column("proactive", sa.Boolean(), server_default=sa.false(), nullable=False),
        )
        op.add_column(table, sa.Column("offer_days", sa.Integer(), nullable=True))
    op.create_table(
        "proactive_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("offered", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.CheckConstraint("offered >= 0", name=op.f("ck_proactive_imports_offered_not_negative")),
        sa.CheckConstraint(
            "rows_read >= offered", name=op.f("ck_proactive_imports_offered_within_rows")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_proactive_imports_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["users.id"],
            name=op.f("fk_proactive_imports_imported_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proactive_imports")),
    )
    op.create_index("ix_proactive_imports_policy_id", "proactive_imports", ["policy_id"])
    op.create_table(
        "proactive_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("fact", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", approvals.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('offered', 'confirmed', 'declined', 'expired')",
            name=op.f("ck_proactive_offers_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["proactive_imports.id"],
            name=op.f("fk_proactive_offers_import_id_proactive_imports"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_proactive_offers_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_proactive_offers_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_proactive_offers_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_proactive_offers_answered_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proactive_offers")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_proactive_offers_claim_id")),
    )
    op.create_index("ix_proactive_offers_import_id", "proactive_offers", ["import_id"])
    op.create_index("ix_proactive_offers_enterprise_id", "proactive_offers", ["enterprise_id"])


def downgrade():
    op.drop_index("ix_proactive_offers_enterprise_id", table_name="proactive_offers")
    op.drop_index("ix_proactive_offers_import_id", table_name="proactive_offers")
    op.drop_table("proactive_offers")
    op.drop_index("ix_proactive_imports_policy_id", table_name="proactive_imports")
    op.drop_table("proactive_imports")
    for table in ("policy_versions", "policies"):
        op.drop_column(table, "offer_days")
        op.drop_column(table, "proactive")
