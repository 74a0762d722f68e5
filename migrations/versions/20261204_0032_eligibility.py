"""Eligibility as data and the enterprise's profile facts (一企一档) (issue 16): a clause's
conditions (policies.eligibility and policy_versions.eligibility, a term of the clause), the
enterprise's industry, size and establishment, its qualifications with their evidence, its
yearly figures, and whom a clause's opening was told to.

Revision ID: 0032_eligibility
Revises: 0031_calendar_years
Create Date: 2026-12-04 20:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0032_eligibility"
down_revision = "0031_calendar_years"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
QUALIFICATIONS = (
    "high_tech",
    "tech_sme",
    "specialised_sme",
    "little_giant",
    "tech_centre",
    "innovative_sme",
)
SIZES = ("large", "medium", "small", "micro")


def _in(column, values):
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    for table in ("policies", "policy_versions"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("eligibility", sa.JSON(), server_default="[]", nullable=False)
            )

    op.create_table(
        "enterprise_facts",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("industry_code", sa.String(length=5), nullable=True),
        sa.Column("size", sa.String(length=8), nullable=True),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("updated_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(_in("size", SIZES), name=op.f("ck_enterprise_facts_size_known")),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_facts_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_enterprise_facts_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("enterprise_id", name=op.f("pk_enterprise_facts")),
    )

    op.create_table(
        "enterprise_qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("certificate_number", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("evidence_filename", sa.String(length=255), nullable=True),
        sa.Column("evidence_content_type", sa.String(length=64), nullable=True),
        sa.Column("evidence_size", sa.Integer(), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            _in("kind", QUALIFICATIONS), name=op.f("ck_enterprise_qualifications_kind_known")
        ),
        sa.CheckConstraint(
            "valid_from IS NULL OR valid_until IS NULL OR valid_until >= valid_from",
            name=op.f("ck_enterprise_qualifications_validity_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_qualifications_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_enterprise_qualifications_attachment_id_attachments"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_enterprise_qualifications_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_qualifications")),
    )
    with op.batch_alter_table("enterprise_qualifications") as batch_op:
        batch_op.create_index(
            "ix_enterprise_qualifications_enterprise_id", ["enterprise_id"], unique=False
        )

    op.create_table(
        "enterprise_year_figures",
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("rd_spend", MONEY, nullable=True),
        sa.Column("revenue", MONEY, nullable=True),
        sa.Column("investment", MONEY, nullable=True),
        sa.Column("updated_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rd_spend IS NULL OR rd_spend >= 0",
            name=op.f("ck_enterprise_year_figures_rd_spend_not_negative"),
        ),
        sa.CheckConstraint(
            "revenue IS NULL OR revenue >= 0",
            name=op.f("ck_enterprise_year_figures_revenue_not_negative"),
        ),
        sa.CheckConstraint(
            "investment IS NULL OR investment >= 0",
            name=op.f("ck_enterprise_year_figures_investment_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_year_figures_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("enterprise_id", "year", name=op.f("pk_enterprise_year_figures")),
    )

    op.create_table(
        "eligibility_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("told_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_eligibility_matches_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_eligibility_matches_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_eligibility_matches_message_id_messages"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_matches")),
        sa.UniqueConstraint(
            "policy_id", "enterprise_id", name=op.f("uq_eligibility_matches_policy_id")
        ),
    )
    with op.batch_alter_table("eligibility_matches") as batch_op:
        batch_op.create_index(
            "ix_eligibility_matches_enterprise_id", ["enterprise_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("eligibility_matches") as batch_op:
        batch_op.drop_index("ix_eligibility_matches_enterprise_id")
    op.drop_table("eligibility_matches")
    op.drop_table("enterprise_year_figures")
    with op.batch_alter_table("enterprise_qualifications") as batch_op:
        batch_op.drop_index("ix_enterprise_qualifications_enterprise_id")
    op.drop_table("enterprise_qualifications")
    op.drop_table("enterprise_facts")
    for table in ("policy_versions", "policies"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("eligibility")
