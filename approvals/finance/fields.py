"""Finance's transition fields: the amount to recover and a repayment, each bounded by what
the ledger says (paid, still owed)."""

from __future__ import annotations

from approvals.finance.ledger import paid_for_claim
from approvals.finance.recovery import outstanding_for
from approvals.money import amount_error, fmt
from approvals.workflow.fields import Field
from approvals.workflow.spec import Label


def _amount_within(limit_of, message: str):
    """A money field that may not exceed a limit read from finance (paid, still owed)."""

    def check(claim, value) -> tuple[str | None, str | None]:
        amount, problem = amount_error(value)
        if problem:
            return None, problem
        limit = limit_of(claim.id)
        if amount > limit:
            return None, f"{message} {limit:,.2f} 元"
        return fmt(amount), None  # kept as text: the event payload is JSON

    return check


FIELDS = (
    Field(
        "recovery_amount",
        Label("追回金额（元）", "Amount to recover (yuan)"),
        "amount",
        _amount_within(paid_for_claim, "追回金额不能超过已拨付金额"),
        hint=Label("应追回的金额，不超过已拨付金额", "What is owed back: at most the amount paid"),
    ),
    Field(
        "repayment_amount",
        Label("还款金额（元）", "Repayment (yuan)"),
        "amount",
        _amount_within(outstanding_for, "还款金额不能超过尚欠金额"),
        hint=Label("本次收到的金额，不超过尚欠金额", "What was received: at most what is owed"),
    ),
)


def register(cat) -> None:
    for field in FIELDS:
        cat.field(field)
