"""Expert review (专家评审) of special-fund clauses: panels, conflicts of interest, scores (issue 13).

Revision ID: 0015_expert_review
Revises: 0014_policy_versions
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db

revision = "0015_expert_review"
down_revision = "0014_policy_versions"
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('enterprise', 'reviewer', 'finance', 'government', 'admin', 'system')"
ROLES_AFTER = (
    "role IN ('enterprise', 'reviewer', 'finance', 'government', 'admin', 'system', 'expert')"
)


def _time(name: str) -> sa.Column:
    return sa.Column(name, approvals.db.UTCDateTime(timezone=True), nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint("role_known", ROLES_AFTER)

    op.create_table(
        "expert_panel_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        _time("created_at"),
        _fk("expert_panel_members", "policy_id", "policies"),
        _fk("expert_panel_members", "expert_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_panel_members")),
        sa.UniqueConstraint("policy_id", "expert_id", name="uq_expert_panel_members_policy_id"),
    )
    op.create_index(
        "ix_expert_panel_members_expert_id", "expert_panel_members", ["expert_id"], unique=False
    )

    op.create_table(
        "expert_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("label_zh", sa.String(length=64), nullable=False),
        sa.Column("label_en", sa.String(length=64), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "max_points BETWEEN 1 AND 100", name=op.f("ck_expert_criteria_max_points_range")
        ),
        _fk("expert_criteria", "policy_id", "policies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_criteria")),
        sa.UniqueConstraint("policy_id", "key", name="uq_expert_criteria_policy_id"),
    )
    op.create_index(
        op.f("ix_expert_criteria_policy_id"), "expert_criteria", ["policy_id"], unique=False
    )

    op.create_table(
        "expert_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        _time("declared_at"),
        sa.CheckConstraint("reason <> ''", name=op.f("ck_expert_conflicts_reason_given")),
        _fk("expert_conflicts", "expert_id", "users"),
        _fk("expert_conflicts", "enterprise_id", "enterprises"),
        _fk("expert_conflicts", "claim_id", "claims"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_conflicts")),
        sa.UniqueConstraint("expert_id", "enterprise_id", name="uq_expert_conflicts_expert_id"),
    )
    op.create_index(
        op.f("ix_expert_conflicts_enterprise_id"),
        "expert_conflicts",
        ["enterprise_id"],
        unique=False,
    )

    op.create_table(
        "expert_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        _time("scored_at"),
        sa.CheckConstraint("points >= 0", name=op.f("ck_expert_scores_points_not_negative")),
        _fk("expert_scores", "claim_id", "claims"),
        _fk("expert_scores", "expert_id", "users"),
        _fk("expert_scores", "criterion_id", "expert_criteria"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_scores")),
        sa.UniqueConstraint(
            "claim_id", "expert_id", "criterion_id", name="uq_expert_scores_claim_id"
        ),
    )
    op.create_index(op.f("ix_expert_scores_claim_id"), "expert_scores", ["claim_id"], unique=False)
    op.create_index("ix_expert_scores_expert_id", "expert_scores", ["expert_id"], unique=False)


def downgrade():
    # A database with expert accounts cannot go back: the old role check refuses their rows,
    # and the downgrade stops there.
    op.drop_table("expert_scores")
    op.drop_table("expert_conflicts")
    op.drop_table("expert_criteria")
    op.drop_table("expert_panel_members")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint("role_known", ROLES_BEFORE)
