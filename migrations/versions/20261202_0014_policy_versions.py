"""Policy clause versions: a claim keeps the version of the clause it was filed under (issue 13).

- policy_versions: a clause's terms as one version fixed them (title, department, joint
  review, funding type, cap, amount rule, evidence, window, basis, exclusive group,
  workflow, claimant types, sign-off threshold, rewards, government approval), who wrote
  it and when; version 1 of every clause is written here from its terms as they stand;
- policies.version: the version new claims are filed under;
- claims.policy_version: the version a claim was filed under; every existing claim, 1.

Revision ID: 0014_policy_versions
Revises: 0013_recognition_forms
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0014_policy_versions"
down_revision = "0013_recognition_forms"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
# The terms, as policies holds them: copied into version 1.
TERMS = (
    "title_zh",
    "title_en",
    "description",
    "department_id",
    "funding_type",
    "cap",
    "requires_government_approval",
    "window_open",
    "window_close",
    "required_evidence",
    "workflow",
    "amount_rule",
    "basis_title",
    "basis_number",
    "basis_clause",
    "exclusive_group",
    "joint_review",
    "claimant_types",
    "signoff_threshold",
    "rewards_people",
)


def upgrade():
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", approvals.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("title_zh", sa.String(length=128), nullable=False),
        sa.Column("title_en", sa.String(length=256), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("funding_type", sa.String(length=16), nullable=False),
        sa.Column("cap", MONEY, nullable=False),
        sa.Column("requires_government_approval", sa.Boolean(), nullable=False),
        sa.Column("window_open", sa.Date(), nullable=False),
        sa.Column("window_close", sa.Date(), nullable=False),
        sa.Column("required_evidence", sa.JSON(), nullable=False),
        sa.Column("workflow", sa.String(length=64), nullable=False),
        sa.Column("amount_rule", sa.JSON(), nullable=True),
        sa.Column("basis_title", sa.String(length=200), nullable=False),
        sa.Column("basis_number", sa.String(length=64), nullable=False),
        sa.Column("basis_clause", sa.String(length=64), nullable=False),
        sa.Column("exclusive_group", sa.String(length=32), nullable=True),
        sa.Column("joint_review", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("claimant_types", sa.JSON(), server_default='["enterprise"]', nullable=False),
        sa.Column("signoff_threshold", MONEY, nullable=True),
        sa.Column("rewards_people", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_policy_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["policies.id"], name=op.f("fk_policy_versions_policy_id_policies")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_policy_versions_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_policy_versions_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("policy_id", "version", name="uq_policy_versions_policy_id_version"),
    )
    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_policy_versions_department_id"), ["department_id"], unique=False
        )

    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("policy_version", sa.Integer(), server_default="1", nullable=False)
        )

    # Version 1 of every clause: its terms as they stand, which every existing claim keeps.
    columns = ", ".join(TERMS)
    op.execute(
        sa.text(
            f"INSERT INTO policy_versions (policy_id, version, created_at, {columns}) "
            f"SELECT id, 1, :now, {columns} FROM policies"
        ).bindparams(sa.bindparam("now", approvals.db.utcnow(), type_=approvals.db.UTCDateTime()))
    )


def downgrade():
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("policy_version")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_versions_department_id"))
    op.drop_table("policy_versions")
