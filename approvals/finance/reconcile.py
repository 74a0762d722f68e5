"""Reconciliation: the ledger, the budgets, the claims and the batches tell one story."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance.ledger import HOLDING_STATES
from approvals.finance.models import BatchItem, Budget, LedgerEntry, Recovery

ZERO = Decimal("0.00")
PAID_STATES = ("disbursed", "in_recovery", "recovered", "written_off")


@dataclass
class Balance:
    policy: str
    year: int
    amount: Decimal
    reserved: Decimal
    paid: Decimal
    recovered: Decimal
    approved_unpaid: Decimal  # Σ approved amounts of claims holding a reservation
    claims_paid: Decimal  # Σ approved (after scaling) of claims paid


@dataclass
class Report:
    balances: list[Balance] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _by_claim() -> dict[int, dict[str, Decimal]]:
    sums: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for claim_id, kind, amount in db.session.execute(
        select(LedgerEntry.claim_id, LedgerEntry.kind, LedgerEntry.amount)
    ):
        sums[claim_id][kind] += amount
    return sums


def check() -> Report:
    """Every budget's balances equal its ledger; every claim's entries match its state."""
    report = Report()
    ledger = _by_claim()
    by_budget: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for budget_id, kind, amount in db.session.execute(
        select(LedgerEntry.budget_id, LedgerEntry.kind, LedgerEntry.amount)
    ):
        by_budget[budget_id][kind] += amount
    claims = db.session.scalars(select(Claim)).all()
    items = {i.claim_id: i for i in db.session.scalars(select(BatchItem))}
    recoveries = {r.claim_id: r for r in db.session.scalars(select(Recovery))}
    per_policy_year: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for claim in claims:
        sums = ledger.get(claim.id, {})
        get = lambda k, s=sums: s.get(k, ZERO)  # noqa: E731
        held = get("reserve") - get("release") - get("pay")
        key = (claim.policy_id, claim.policy.call_year)
        if claim.state in HOLDING_STATES:
            per_policy_year[key][0] += claim.approved_amount or ZERO
            if held != claim.approved_amount:
                report.problems.append(
                    f"{claim.number}: 已审批 {claim.approved_amount} 但占用 {held}"
                )
        elif held != 0:
            report.problems.append(f"{claim.number}: 状态 {claim.state} 仍占用预算 {held}")
        if claim.state in PAID_STATES:
            per_policy_year[key][1] += claim.approved_amount
            if get("pay") != claim.approved_amount:
                report.problems.append(
                    f"{claim.number}: 拨付 {get('pay')} 与核定 {claim.approved_amount} 不符"
                )
        elif get("pay"):
            report.problems.append(f"{claim.number}: 状态 {claim.state} 却有拨付 {get('pay')}")
        item = items.get(claim.id)
        if item is not None and (item.status == "paid") != (claim.state in PAID_STATES):
            report.problems.append(f"{claim.number}: 批次状态 {item.status} 与申报状态不符")
        if item is not None and item.status == "paid" and item.amount != get("pay"):
            report.problems.append(f"{claim.number}: 批次金额 {item.amount} 与拨付不符")
        recovery = recoveries.get(claim.id)
        repaid = recovery.repaid if recovery else ZERO
        if get("recover") != repaid:
            report.problems.append(f"{claim.number}: 追回 {get('recover')} 与还款 {repaid} 不符")
    for budget in db.session.scalars(select(Budget).order_by(Budget.id)):
        sums = by_budget[budget.id]
        reserved = sums["reserve"] - sums["release"] - sums["pay"]
        name = f"{budget.policy.code} {budget.year}"
        for label, on_row, in_ledger in (
            ("占用", budget.reserved, reserved),
            ("拨付", budget.paid, sums["pay"]),
            ("追回", budget.recovered, sums["recover"]),
        ):
            if on_row != in_ledger:
                report.problems.append(f"{name}: 预算表{label} {on_row}，台账 {in_ledger}")
        if budget.reserved + budget.paid > budget.amount:
            report.problems.append(f"{name}: 占用与拨付合计超出预算")
        approved_unpaid, claims_paid = per_policy_year[(budget.policy_id, budget.year)]
        if approved_unpaid != budget.reserved:
            report.problems.append(f"{name}: 待拨付核定 {approved_unpaid}，占用 {budget.reserved}")
        if claims_paid != budget.paid:
            report.problems.append(f"{name}: 已拨付申报 {claims_paid}，预算表拨付 {budget.paid}")
        report.balances.append(
            Balance(
                policy=budget.policy.code,
                year=budget.year,
                amount=budget.amount,
                reserved=budget.reserved,
                paid=budget.paid,
                recovered=budget.recovered,
                approved_unpaid=approved_unpaid,
                claims_paid=claims_paid,
            )
        )
    return report
