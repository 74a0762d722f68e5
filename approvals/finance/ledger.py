"""The ledger: every transition that moves money writes its entries, inside advance().

Reservation happens at finance approval, release when a reserved claim is sent back or
rejected, payment at disbursement (a scaled-down payout releases the rest), recovery as
repayments arrive. The budget row is locked (SELECT … FOR UPDATE) before it is read, so
two officers approving at once are served one after the other and the second sees what
the first reserved; the CHECK constraint reserved + paid <= amount backs this up.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from approvals.claims import signals
from approvals.db import utcnow
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.finance.models import BatchItem, Budget, LedgerEntry

ZERO = Decimal("0.00")
# States in which an approved claim keeps its reservation; elsewhere it is released.
HOLDING_STATES = ("government_review", "approved")


def locked_budget(policy_id: int, year: int) -> Budget | None:
    return db.session.scalar(
        select(Budget)
        .where(Budget.policy_id == policy_id, Budget.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


KINDS = ("reserve", "release", "pay", "recover")


def sums_by_kind(group, *where) -> dict:
    """Σ amount per value of `group` (a LedgerEntry column) and per entry kind.

    Summed in Python: SQLite would sum NUMERIC as floats. Missing groups read as zeros.
    """
    sums: dict = defaultdict(lambda: dict.fromkeys(KINDS, ZERO))
    rows = db.session.execute(select(group, LedgerEntry.kind, LedgerEntry.amount).where(*where))
    for key, kind, amount in rows:
        sums[key][kind] += amount
    return sums


def held(sums: dict[str, Decimal]) -> Decimal:
    """What entries still hold of a budget: reserved, less released and paid."""
    return sums["reserve"] - sums["release"] - sums["pay"]


def _claim_sums(claim_id: int) -> dict[str, Decimal]:
    return sums_by_kind(LedgerEntry.claim_id, LedgerEntry.claim_id == claim_id)[claim_id]


def reserved_for_claim(claim_id: int) -> Decimal:
    return held(_claim_sums(claim_id))


def paid_for_claim(claim_id: int) -> Decimal:
    return _claim_sums(claim_id)["pay"]


def _entry(budget, claim, event, kind, amount, note="", batch_id=None) -> LedgerEntry:
    entry = LedgerEntry(
        budget_id=budget.id,
        claim_id=claim.id,
        event_id=event.id,
        batch_id=batch_id,
        kind=kind,
        amount=amount,
        note=note,
        at=event.at,
    )
    db.session.add(entry)
    budget.updated_at = utcnow()
    return entry


def _budget_of(claim) -> Budget:
    year = claim.policy.call_year
    budget = locked_budget(claim.policy_id, year)
    if budget is None:
        raise Invalid(
            f"政策“{claim.policy.title_zh}”{year}年度尚未安排预算（专项资金），不能复核通过",
            fields={"budget": "未安排预算"},
        )
    return budget


def reserve(claim, event) -> None:
    amount = claim.approved_amount
    budget = _budget_of(claim)
    if amount > budget.remaining:
        raise Invalid(
            f"预算余额不足，剩余 {budget.remaining:,.2f} 元，本次需 {amount:,.2f} 元",
            fields={"budget": f"剩余 {budget.remaining:,.2f} 元"},
        )
    budget.reserved += amount
    _entry(budget, claim, event, "reserve", amount, "复核通过，占用预算")


def release(claim, event, amount: Decimal, note: str) -> None:
    budget = _budget_of(claim)
    budget.reserved -= amount
    _entry(budget, claim, event, "release", amount, note)


def pay(claim, event) -> None:
    """Disbursement: pay the batch's amount (or the approved amount), release any rest."""
    holding = reserved_for_claim(claim.id)
    if holding <= 0:
        raise Conflict("该申报未占用预算，不能拨付", code="not_reserved")
    amount, batch_id = holding, None
    item = db.session.scalar(
        select(BatchItem)
        .where(BatchItem.claim_id == claim.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if item is not None:
        if item.status == "paid" or item.reference != claim.payment_reference:
            raise Conflict(
                f"该申报已编入{item.batch.name}拨付批次，只能通过确认该批次拨付",
                code="in_batch",
            )
        amount, batch_id = item.amount, item.batch_id
        item.status, item.event_id, item.paid_at = "paid", event.id, event.at
    budget = _budget_of(claim)
    budget.reserved -= holding
    budget.paid += amount
    _entry(budget, claim, event, "pay", amount, "拨付", batch_id)
    if amount < holding:
        _entry(budget, claim, event, "release", holding - amount, "按比例核减，释放差额", batch_id)
        # 核减 lowers the approved amount, so that the payout notice states what is paid.
        claim.approved_amount = amount


def recover(claim, event, amount: Decimal) -> None:
    budget = _budget_of(claim)
    budget.recovered += amount
    _entry(budget, claim, event, "recover", amount, "追回还款")


def on_transition(claim, *, event, transition, actor, source) -> None:
    """Write the ledger (and recovery) rows of a transition; raise to refuse it."""
    from approvals.finance import recovery

    trigger = transition.trigger
    if trigger == "finance_approve":
        reserve(claim, event)
    elif trigger == "disburse":
        pay(claim, event)
    elif trigger in recovery.HANDLERS:
        recovery.HANDLERS[trigger](claim, event)
    elif claim.state not in HOLDING_STATES:
        holding = reserved_for_claim(claim.id)
        if holding > 0:
            release(claim, event, holding, f"{transition.label.zh}，释放占用")


def connect() -> None:
    signals.transitioned.connect(on_transition)
