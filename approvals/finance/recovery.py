"""Recovery (追回): open a case on a disbursed claim, record repayments, close it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.finance import ledger
from approvals.finance.models import Recovery, Repayment
from approvals.money import ZERO, parse_amount
from approvals.notices.numerals import to_capital_yuan
from approvals.organisations.models import User
from approvals.workflow import runtime


def recovery_for(claim_id: int, *, lock: bool = False) -> Recovery | None:
    query = select(Recovery).where(Recovery.claim_id == claim_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def outstanding_for(claim_id: int) -> Decimal:
    recovery = recovery_for(claim_id)
    return recovery.outstanding if recovery else ZERO


# Effects (approvals/finance/effects.py), inside advance()'s transaction -----------------


def open_case(claim, event, amount: Decimal) -> None:
    if recovery_for(claim.id) is not None:
        raise Conflict("该申报已有追回记录", code="recovery_exists")
    db.session.add(
        Recovery(
            claim_id=claim.id,
            amount_due=amount,
            reason=event.comment or "",
            opened_event_id=event.id,
            opened_at=event.at,
        )
    )


def record_repayment(claim, event, amount: Decimal) -> None:
    recovery = recovery_for(claim.id, lock=True)
    if amount > recovery.outstanding:  # re-checked under the lock
        raise Invalid(f"还款金额不能超过尚欠金额 {recovery.outstanding:,.2f} 元")
    recovery.repaid += amount
    db.session.add(
        Repayment(recovery_id=recovery.id, event_id=event.id, amount=amount, received_at=event.at)
    )
    ledger.recover(claim, event, amount)


def close_case(claim, event, outcome: str) -> None:
    """`outcome` is the case's own record: "recovered" or "written_off"."""
    recovery = recovery_for(claim.id, lock=True)
    if outcome == "recovered" and recovery.outstanding > 0:
        raise Invalid(
            f"尚欠 {recovery.outstanding:,.2f} 元未追回，不能结案；请继续登记还款或办理核销"
        )
    if outcome == "written_off" and recovery.outstanding == 0:
        raise Invalid("应追回金额已全部追回，请办理追回结案")
    recovery.outcome, recovery.closed_at = outcome, event.at


# Services: compose the notice text, then go through the one door ----------------------
# `now` is advance()'s: the application's clock unless given (the demo dates its history).


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元（人民币{to_capital_yuan(amount)}）"


def start(
    actor: User, claim_id: int, amount, reason: str, *, version: int, now: datetime | None = None
):
    """Put a disbursed claim into recovery for `amount`, giving the reason."""
    due = parse_amount(amount, "recovery_amount")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写追回原因", fields={"comment": "请填写追回原因"})
    comment = f"应追回金额：{_yuan(due)}\n追回原因：{reason}"
    return runtime.advance(
        actor,
        claim_id,
        "put_in_recovery",
        version=version,
        now=now,
        recovery_amount=due,
        comment=comment,
    )


def repay(
    actor: User, claim_id: int, amount, *, version: int, note: str = "", now: datetime | None = None
):
    """Record one repayment; the notice states what is still owed."""
    paid = parse_amount(amount, "repayment_amount")
    left = outstanding_for(claim_id) - paid
    comment = f"本次收到还款：{_yuan(paid)}\n尚欠金额：{_yuan(max(left, ZERO))}"
    if note.strip():
        comment += f"\n备注：{note.strip()}"
    return runtime.advance(
        actor,
        claim_id,
        "record_repayment",
        version=version,
        now=now,
        repayment_amount=paid,
        comment=comment,
    )


def close(actor: User, claim_id: int, *, version: int, now: datetime | None = None):
    recovery = recovery_for(claim_id)
    comment = (
        f"应追回资金 {_yuan(recovery.amount_due)} 已全部追回，追回结案。" if recovery else None
    )
    return runtime.advance(
        actor, claim_id, "close_recovery", version=version, now=now, comment=comment
    )


def write_off(
    actor: User, claim_id: int, reason: str, *, version: int, now: datetime | None = None
):
    recovery = recovery_for(claim_id)
    left = recovery.outstanding if recovery else ZERO
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写核销原因", fields={"comment": "请填写核销原因"})
    comment = f"核销金额：{_yuan(left)}\n核销原因：{reason}"
    return runtime.advance(actor, claim_id, "write_off", version=version, now=now, comment=comment)
