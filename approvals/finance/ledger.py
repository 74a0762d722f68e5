"""The ledger: every transition that moves money writes its entries, inside advance().

Each is the effect a workflow's move names: `budget.reserve` when finance accepts the amount,
`budget.release` when a claim holding it is sent back or refused, `budget.pay` at payout,
and recovery as repayments arrive. A payout scaled down pro rata (按比例核减) settles the
reservation partly as `pay` and partly as `reduce`: the department's assessed amount
(核定金额) is never rewritten, so per claim 核定 = paid + reduced always holds. The budget
row is locked (SELECT … FOR UPDATE) before it is read, so two officers approving at once
are served one after the other and the second sees what the first reserved; the CHECK
constraint reserved + paid <= amount backs this up.

Lock order, everywhere money moves: the claim row (advance() flushes it first), then the
budget, then the batch item. A batch confirmation follows the same order, so it can never
deadlock with a direct disbursement.
"""

from __future__ import annotations

from collections import defaultdict
from contextvars import ContextVar
from decimal import Decimal

from sqlalchemy import select

from approvals.db import utcnow
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.finance.models import BatchItem, Budget, LedgerEntry
from approvals.money import ZERO

REDUCTION_REASON = "专项资金不足，按比例核减，核减部分不再拨付"
# The batch item that a batch confirmation is paying right now (set by batches._pay_next):
# a claim in a batch is paid through its batch only, never by a payout move taken alone.
paying_item: ContextVar[int | None] = ContextVar("paying_item", default=None)


def locked_budget(policy_id: int, year: int) -> Budget | None:
    return db.session.scalar(
        select(Budget)
        .where(Budget.policy_id == policy_id, Budget.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


KINDS = ("reserve", "release", "pay", "reduce", "recover")


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
    """What entries still hold of a budget: reserved, less released, paid and reduced."""
    return sums["reserve"] - sums["release"] - sums["pay"] - sums["reduce"]


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
        message = f"政策“{claim.policy.title_zh}”{year}年度尚未安排预算（专项资金），不能复核通过"
        raise Invalid(message, fields={"budget": message})
    return budget


def reserve(claim, event) -> None:
    amount = claim.approved_amount
    budget = _budget_of(claim)
    if amount > budget.remaining:
        # The whole sentence in the field too: pages show field messages, not the summary.
        message = f"预算余额不足，剩余 {budget.remaining:,.2f} 元，本次需 {amount:,.2f} 元"
        raise Invalid(message, fields={"budget": message})
    budget.reserved += amount
    _entry(budget, claim, event, "reserve", amount, "复核通过，占用预算")


def release_held(claim, event, note: str) -> None:
    """Whatever the claim still holds of its budget goes back (sent back, refused)."""
    holding = reserved_for_claim(claim.id)
    if holding > 0:
        release(claim, event, holding, note)


def release(claim, event, amount: Decimal, note: str) -> None:
    budget = _budget_of(claim)
    budget.reserved -= amount
    _entry(budget, claim, event, "release", amount, note)


def pay(claim, event) -> None:
    """Payout: pay the batch's amount (or the assessed amount, 核定); a scaled-down batch
    amount records the rest as a reduction (核减) on the claim and in the ledger."""
    holding = reserved_for_claim(claim.id)
    if holding <= 0:
        raise Conflict("该申报未占用预算，不能拨付", code="not_reserved")
    budget = _budget_of(claim)  # the claim row is already locked by advance()'s flush
    amount, batch_id = holding, None
    item = db.session.scalar(
        select(BatchItem)
        .where(BatchItem.claim_id == claim.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if item is not None:
        if item.status == "paid" or paying_item.get() != item.id:
            raise Conflict(
                f"该申报已编入{item.batch.name}拨付批次，只能通过确认该批次拨付",
                code="in_batch",
            )
        amount, batch_id = item.amount, item.batch_id
        item.status, item.event_id, item.paid_at = "paid", event.id, event.at
    budget.reserved -= holding
    budget.paid += amount
    _entry(budget, claim, event, "pay", amount, "拨付", batch_id)
    claim.paid_amount = amount
    if amount < holding:
        _entry(budget, claim, event, "reduce", holding - amount, "按比例核减，不再拨付", batch_id)
        # Set before the payout notice is issued (after this signal), which prints them.
        claim.reduction, claim.reduction_reason = holding - amount, REDUCTION_REASON


def recover(claim, event, amount: Decimal) -> None:
    budget = _budget_of(claim)
    budget.repaid += amount
    _entry(budget, claim, event, "recover", amount, "追回还款")
