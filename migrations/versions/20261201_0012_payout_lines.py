"""Payouts of the department/township track: the lines of a batch item and the clauses that
reward people.

- payout_lines: the transfers a batch item is made of when its claim rewards people
  (有功人员): the claimant's share, then one line per person, frozen when the claim entered
  the batch; the lines sum to the item's amount;
- policies.rewards_people: a claim under the clause names the people it rewards.

Revision ID: 0012_payout_lines
Revises: 0011_procedure
Create Date: 2026-12-01 22:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_payout_lines"
down_revision = "0011_procedure"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)


def upgrade():
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rewards_people", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "payout_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_item_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reward_recipient_id", sa.Integer(), nullable=True),
        sa.Column("payee_name", sa.String(length=128), nullable=False),
        sa.Column("bank_name", sa.String(length=128), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("approved_amount", MONEY, nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.CheckConstraint(
            "kind IN ('claimant', 'person')", name=op.f("ck_payout_lines_kind_known")
        ),
        sa.CheckConstraint(
            "amount > 0 AND amount <= approved_amount",
            name=op.f("ck_payout_lines_amount_within_approved"),
        ),
        sa.CheckConstraint(
            "(kind = 'person') = (reward_recipient_id IS NOT NULL)",
            name=op.f("ck_payout_lines_person_named"),
        ),
        sa.CheckConstraint("seq >= 1", name=op.f("ck_payout_lines_seq_positive")),
        sa.ForeignKeyConstraint(
            ["batch_item_id"],
            ["batch_items.id"],
            name=op.f("fk_payout_lines_batch_item_id_batch_items"),
        ),
        sa.ForeignKeyConstraint(
            ["reward_recipient_id"],
            ["reward_recipients.id"],
            name=op.f("fk_payout_lines_reward_recipient_id_reward_recipients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payout_lines")),
        sa.UniqueConstraint("batch_item_id", "seq", name="uq_payout_lines_batch_item_id_seq"),
    )
    with op.batch_alter_table("payout_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payout_lines_batch_item_id"), ["batch_item_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("payout_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payout_lines_batch_item_id"))
    op.drop_table("payout_lines")
    with op.batch_alter_table("policies", schema=None) as batch_op:
        batch_op.drop_column("rewards_people")
