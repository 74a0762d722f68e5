"""Review tasks (review_tasks): one party's part in deciding a claim in a state, one round
per entry into it, kept once decided; and the departments a policy lists for joint review
(policies.joint_review).

The triggers that keep decided tasks are the application's own
(`approvals.audit.decided_tasks`), as 0009's are.

Revision ID: 0010_review_tasks
Revises: 0009_audit
Create Date: 2026-12-01 20:00:00

"""

import sqlalchemy as sa
from alembic import op

import approvals.db
from approvals.audit import decided_tasks

revision = "0010_review_tasks"
down_revision = "0009_audit"
branch_labels = None
depends_on = None


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, approvals.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade():
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("joint_review", sa.JSON(), server_default="[]", nullable=False)
        )

    op.create_table(
        "review_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=True),
        sa.Column("opinion", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        _time("decided_at", nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _time("created_at"),
        sa.CheckConstraint(
            "status IN ('open', 'claimed', 'done')", name=op.f("ck_review_tasks_status_known")
        ),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('agree', 'disagree', 'return')",
            name=op.f("ck_review_tasks_decision_known"),
        ),
        sa.CheckConstraint(
            "(status = 'done') = (decision IS NOT NULL"
            " AND decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name=op.f("ck_review_tasks_decided_iff_done"),
        ),
        sa.CheckConstraint(
            "decision IS NULL OR decision = 'agree' OR (opinion IS NOT NULL AND opinion <> '')",
            name=op.f("ck_review_tasks_disagreement_gives_reason"),
        ),
        sa.CheckConstraint(
            "status <> 'claimed' OR assignee_id IS NOT NULL",
            name=op.f("ck_review_tasks_claimed_held"),
        ),
        sa.CheckConstraint("round >= 1", name=op.f("ck_review_tasks_round_positive")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_review_tasks_version_positive")),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_review_tasks_claim_id_claims")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_review_tasks_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_review_tasks_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_review_tasks_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_tasks")),
        sa.UniqueConstraint(
            "claim_id", "state", "round", "department_id", name="uq_review_tasks_round_department"
        ),
    )
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_tasks_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(
            "ix_review_tasks_department_id_status", ["department_id", "status"], unique=False
        )
    decided_tasks.create_triggers(op.get_bind())


def downgrade():
    decided_tasks.drop_triggers(op.get_bind())
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_review_tasks_department_id_status")
        batch_op.drop_index(batch_op.f("ix_review_tasks_assignee_id"))
    op.drop_table("review_tasks")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("joint_review")
