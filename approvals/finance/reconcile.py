"""Reconciliation: the ledger, the budgets, the claims and the batches tell one story."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance.ledger import HOLDING_STATES, held, sums_by_kind
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


def check() -> Report:
    """Every budget's balances equal its ledger; every claim's entries match its state."""
    report = Report()
    by_claim = sums_by_kind(LedgerEntry.claim_id)
    by_budget = sums_by_kind(LedgerEntry.budget_id)
    claims = db.session.scalars(select(Claim)).all()
    items = {i.claim_id: i for i in db.session.scalars(select(BatchItem))}
    recoveries = {r.claim_id: r for r in db.session.scalars(select(Recovery))}
    per_policy_year: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for claim in claims:
        sums = by_claim[claim.id]
        holding = held(sums)
        key = (claim.policy_id, claim.policy.call_year)
        if claim.state in HOLDING_STATES:
            per_policy_year[key][0] += claim.approved_amount or ZERO
            if holding != claim.approved_amount:
                report.problems.append(
                    f"{claim.number}: 已审批 {claim.approved_amount} 但占用 {holding}"
                )
        elif holding != 0:
            report.problems.append(f"{claim.number}: 状态 {claim.state} 仍占用预算 {holding}")
        if claim.state in PAID_STATES:
            per_policy_year[key][1] += claim.approved_amount
            if sums["pay"] != claim.approved_amount:
                report.problems.append(
                    f"{claim.number}: 拨付 {sums['pay']} 与核定 {claim.approved_amount} 不符"
                )
        elif sums["pay"]:
            report.problems.append(f"{claim.number}: 状态 {claim.state} 却有拨付 {sums['pay']}")
        item = items.get(claim.id)
        if item is not None and (item.status == "paid") != (claim.state in PAID_STATES):
            report.problems.append(f"{claim.number}: 批次状态 {item.status} 与申报状态不符")
        if item is not None and item.status == "paid" and item.amount != sums["pay"]:
            report.problems.append(f"{claim.number}: 批次金额 {item.amount} 与拨付不符")
        recovery = recoveries.get(claim.id)
        repaid = recovery.repaid if recovery else ZERO
        if sums["recover"] != repaid:
            report.problems.append(f"{claim.number}: 追回 {sums['recover']} 与还款 {repaid} 不符")
    for budget in db.session.scalars(select(Budget).order_by(Budget.id)):
        sums = by_budget[budget.id]
        reserved = held(sums)
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
