"""The city's procedure: sign-off chains, delegation, agency filing, and the
department/township track.

- users.position: an official's place in a sign-off chain (经办人, 科室负责人, 分管领导);
- review_tasks.step / prepared / on_behalf_of_id: a chain's step, the values the case
  officer prepared, and the official a substitute acted for (委派); a round may now hold
  several tasks of one department, so the (claim, state, round, department) unique
  constraint becomes an index;
- delegations: who acts for whom, and when;
- claims.agent_id / agency_consent_*: 全程代办, filed by an official with the claimant's
  recorded consent; claims.recognised_share / share_from / share_until: a 税收分成认定's
  outcome, which asks for no amount (requested_amount may be NULL);
- enterprises.claimant_type and policies.claimant_types: departments, townships and
  platform developers claim too; policies.signoff_threshold: above it the leader signs;
- reward_recipients: the people a claim rewards (有功人员).

Revision ID: 0011_procedure
Revises: 0010_review_tasks
Create Date: 2026-12-01 21:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db
from approvals.audit import decided_tasks

revision = "0011_procedure"
down_revision = "0010_review_tasks"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
POSITION_KNOWN = (
    "position IS NULL OR (position IN ('case_officer', 'section_chief', 'leader')"
    " AND role IN ('reviewer', 'finance', 'government'))"
)
CLAIMANT_TYPE_KNOWN = "claimant_type IN ('enterprise', 'department', 'township', 'platform')"


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, approvals.db.UTCDateTime(timezone=True), nullable=nullable)


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"))


def upgrade():
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("substitute_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("revoked_at", nullable=True),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_delegations_period_ordered")),
        sa.CheckConstraint(
            "substitute_id <> principal_id", name=op.f("ck_delegations_not_oneself")
        ),
        _user_fk("delegations", "created_by_id"),
        _user_fk("delegations", "principal_id"),
        _user_fk("delegations", "substitute_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegations")),
    )
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delegations_principal_id"), ["principal_id"], unique=False
        )
        batch_op.create_index(
            "ix_delegations_substitute_id_ends_on", ["substitute_id", "ends_on"], unique=False
        )

    op.create_table(
        "reward_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("contribution", sa.String(length=200), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("bank_name", sa.String(length=128), nullable=False),
        sa.Column("bank_account", sa.String(length=64), nullable=False),
        _time("created_at"),
        sa.CheckConstraint("amount > 0", name=op.f("ck_reward_recipients_amount_positive")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_reward_recipients_claim_id_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_recipients")),
        sa.UniqueConstraint("claim_id", "id_number", name="uq_reward_recipients_claim_id_number"),
    )
    with op.batch_alter_table("reward_recipients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reward_recipients_claim_id"), ["claim_id"], unique=False
        )

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recognised_share", MONEY, nullable=True))
        batch_op.add_column(sa.Column("share_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("share_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("agent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("agency_consent_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(_time("agency_consent_at", nullable=True))
        batch_op.alter_column("requested_amount", existing_type=MONEY, nullable=True)
        batch_op.drop_constraint(op.f("ck_claims_requested_positive"), type_="check")
        batch_op.create_check_constraint(
            "requested_positive", "requested_amount IS NULL OR requested_amount > 0"
        )
        batch_op.create_check_constraint(
            "recognised_share_percent",
            "recognised_share IS NULL OR (recognised_share > 0 AND recognised_share <= 100)",
        )
        batch_op.create_check_constraint(
            "share_period_ordered",
            "share_from IS NULL OR share_until IS NULL OR share_until >= share_from",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_claims_agent_id_users"), "users", ["agent_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_claims_agency_consent_by_id_users"),
            "users",
            ["agency_consent_by_id"],
            ["id"],
        )

    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "claimant_type", sa.String(length=16), server_default="enterprise", nullable=False
            )
        )
        batch_op.create_check_constraint("claimant_type_known", CLAIMANT_TYPE_KNOWN)

    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("claimant_types", sa.JSON(), server_default='["enterprise"]', nullable=False)
        )
        batch_op.add_column(sa.Column("signoff_threshold", MONEY, nullable=True))

    # SQLite rebuilds the table to drop its unique constraint, and its triggers with it: they
    # are dropped first and made again on the new table.
    decided_tasks.drop_triggers(op.get_bind())
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("step", sa.String(length=16), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("prepared", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("on_behalf_of_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint("uq_review_tasks_round_department", type_="unique")
        batch_op.create_index(
            "ix_review_tasks_claim_id_state_round", ["claim_id", "state", "round"], unique=False
        )
        batch_op.create_check_constraint(
            "delegate_decided", "on_behalf_of_id IS NULL OR decided_by_id IS NOT NULL"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_review_tasks_on_behalf_of_id_users"),
            "users",
            ["on_behalf_of_id"],
            ["id"],
        )
    decided_tasks.create_triggers(op.get_bind())

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.String(length=16), nullable=True))
        batch_op.create_check_constraint("position_of_an_official", POSITION_KNOWN)


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_position_of_an_official"), type_="check")
        batch_op.drop_column("position")

    decided_tasks.drop_triggers(op.get_bind())
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_review_tasks_on_behalf_of_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(op.f("ck_review_tasks_delegate_decided"), type_="check")
        batch_op.drop_index("ix_review_tasks_claim_id_state_round")
        batch_op.create_unique_constraint(
            "uq_review_tasks_round_department", ["claim_id", "state", "round", "department_id"]
        )
        batch_op.drop_column("on_behalf_of_id")
        batch_op.drop_column("prepared")
        batch_op.drop_column("step")
    decided_tasks.create_triggers(op.get_bind())

    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("signoff_threshold")
        batch_op.drop_column("claimant_types")

    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_enterprises_claimant_type_known"), type_="check")
        batch_op.drop_column("claimant_type")

    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_claims_agency_consent_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_claims_agent_id_users"), type_="foreignkey")
        batch_op.drop_constraint(op.f("ck_claims_share_period_ordered"), type_="check")
        batch_op.drop_constraint(op.f("ck_claims_recognised_share_percent"), type_="check")
        batch_op.drop_constraint(op.f("ck_claims_requested_positive"), type_="check")
        batch_op.create_check_constraint("requested_positive", "requested_amount > 0")
        batch_op.alter_column("requested_amount", existing_type=MONEY, nullable=False)
        for column in (
            "agency_consent_at",
            "agency_consent_by_id",
            "agent_id",
            "share_until",
            "share_from",
            "recognised_share",
        ):
            batch_op.drop_column(column)

    with op.batch_alter_table("reward_recipients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reward_recipients_claim_id"))
    op.drop_table("reward_recipients")
    with op.batch_alter_table("delegations", schema=None) as batch_op:
        batch_op.drop_index("ix_delegations_substitute_id_ends_on")
        batch_op.drop_index(batch_op.f("ix_delegations_principal_id"))
    op.drop_table("delegations")
