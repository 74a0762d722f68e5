"""Finance's own words: batch and recovery values that are not claim state names (issue 13).

A batch being composed is `open` (was `draft`), a recovery case ends `repaid` or `waived`
(was `recovered`, `written_off`), and a budget's sum of repayments is `repaid` (was
`recovered`): the old words were states of the enterprise track, and finance names none.
The stored values are rewritten both ways, inside the CHECK constraints that list them.

Revision ID: 0016_finance_vocabulary
Revises: 0015_expert_review
Create Date: 2026-12-02 06:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_finance_vocabulary"
down_revision = "0015_expert_review"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=14, scale=2)
# (table, column, CHECK constraint, {old value: new value}, the values the CHECK lists after)
RENAMED_VALUES = (
    ("batches", "state", "state_known", {"draft": "open"}, ("confirming", "confirmed")),
    (
        "recoveries",
        "outcome",
        "outcome_known",
        {"recovered": "repaid", "written_off": "waived"},
        (),
    ),
)


def _check(column: str, values) -> str:
    listed = ", ".join(f"'{v}'" for v in values)
    if column == "outcome":  # open cases have none
        return f"outcome IS NULL OR outcome IN ({listed})"
    return f"{column} IN ({listed})"


def _rename_values(forward: bool) -> None:
    for table, column, check, renames, kept in RENAMED_VALUES:
        pairs = renames.items() if forward else [(new, old) for old, new in renames.items()]
        after = [new for _, new in pairs]
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{check}"), type_="check")
        rows = sa.table(table, sa.column(column))
        for old, new in pairs:
            op.execute(rows.update().where(rows.c[column] == old).values({column: new}))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(check, _check(column, [*after, *kept]))


def _rename_budget_sum(old: str, new: str) -> None:
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f"ck_budgets_{old}_within_paid"), type_="check")
        batch_op.drop_constraint(op.f("ck_budgets_sums_not_negative"), type_="check")
        batch_op.alter_column(
            old, new_column_name=new, existing_type=MONEY, existing_nullable=False
        )
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.create_check_constraint(f"{new}_within_paid", f"{new} <= paid")
        batch_op.create_check_constraint(
            "sums_not_negative", f"reserved >= 0 AND paid >= 0 AND {new} >= 0"
        )


def upgrade():
    _rename_values(forward=True)
    _rename_budget_sum("recovered", "repaid")


def downgrade():
    _rename_budget_sum("repaid", "recovered")
    _rename_values(forward=False)
