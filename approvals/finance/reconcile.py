"""Reconciliation: the ledger, the budgets, the claims and the batches tell one story.

Per claim, the department's assessed amount (核定金额) is accounted for in full: while the
claim waits for payout it is all reserved; once paid, 核定 = paid + reduced (核减). What a
state means here (holds a reservation, paid) is its tag in the claim's own workflow.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance import payout_lines
from approvals.finance.ledger import held, sums_by_kind
from approvals.finance.models import BatchItem, Budget, LedgerEntry, Recovery
from approvals.money import ZERO
from approvals.workflow.registry import is_tagged


@dataclass
class Balance:
    policy: str
    year: int
    amount: Decimal
    reserved: Decimal
    paid: Decimal
    repaid: Decimal
    approved_unpaid: Decimal  # Σ 核定 amounts of claims holding a reservation
    claims_paid: Decimal  # Σ paid amounts of claims paid
    reduced: Decimal = ZERO  # Σ reductions (核减) recorded in the ledger


@dataclass
class Report:
    balances: list[Balance] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _claim_problems(claim: Claim, sums: dict[str, Decimal]) -> list[str]:
    """What does not add up on one claim: 核定 = reserved, or = paid + reduced."""
    problems = []
    holding = held(sums)
    assessed = claim.approved_amount or ZERO
    paid, reduced = sums["pay"], sums["reduce"]
    if is_tagged(claim, "holds_budget"):
        if holding != assessed:
            problems.append(f"已审批 {assessed} 但占用 {holding}")
    elif holding != 0:
        problems.append(f"状态 {claim.state} 仍占用预算 {holding}")
    if is_tagged(claim, "paid"):
        if paid + reduced != assessed:
            problems.append(f"核定 {assessed} ≠ 拨付 {paid} + 核减 {reduced}")
        if (claim.paid_amount or ZERO) != paid:
            problems.append(f"申报记载拨付 {claim.paid_amount} 与台账拨付 {paid} 不符")
        if (claim.reduction or ZERO) != reduced:
            problems.append(f"申报记载核减 {claim.reduction} 与台账核减 {reduced} 不符")
        if bool(claim.reduction) != bool(claim.reduction_reason):
            problems.append("核减金额与核减原因须同时记载")
    elif paid or reduced or claim.paid_amount or claim.reduction:
        problems.append(f"状态 {claim.state} 却有拨付 {paid} 或核减 {reduced}")
    return problems


def check() -> Report:
    """Every budget's balances equal its ledger; every claim's entries match its state."""
    report = Report()
    by_claim = sums_by_kind(LedgerEntry.claim_id)
    by_budget = sums_by_kind(LedgerEntry.budget_id)
    claims = db.session.scalars(select(Claim).order_by(Claim.id)).all()
    query = select(BatchItem).options(selectinload(BatchItem.lines))
    items = {i.claim_id: i for i in db.session.scalars(query)}
    recoveries = {r.claim_id: r for r in db.session.scalars(select(Recovery))}
    per_policy_year: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for claim in claims:
        sums = by_claim[claim.id]
        problems = _claim_problems(claim, sums)
        key = (claim.policy_id, claim.policy.call_year)
        if is_tagged(claim, "holds_budget"):
            per_policy_year[key][0] += claim.approved_amount or ZERO
        if is_tagged(claim, "paid"):
            per_policy_year[key][1] += claim.paid_amount or ZERO
        item = items.get(claim.id)
        if item is not None and (item.status == "paid") != (is_tagged(claim, "paid")):
            problems.append(f"批次状态 {item.status} 与申报状态不符")
        if item is not None and item.status == "paid" and item.amount != sums["pay"]:
            problems.append(f"批次金额 {item.amount} 与拨付不符")
        if item is not None:
            problems += payout_lines.line_problems(item)  # the transfers sum to the item
        recovery = recoveries.get(claim.id)
        repaid = recovery.repaid if recovery else ZERO
        if sums["recover"] != repaid:
            problems.append(f"追回 {sums['recover']} 与还款 {repaid} 不符")
        report.problems += [f"{claim.number}: {p}" for p in problems]
    for budget in db.session.scalars(select(Budget).order_by(Budget.id)):
        sums = by_budget[budget.id]
        reserved = held(sums)
        name = f"{budget.policy.code} {budget.year}"
        for label, on_row, in_ledger in (
            ("占用", budget.reserved, reserved),
            ("拨付", budget.paid, sums["pay"]),
            ("追回", budget.repaid, sums["recover"]),
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
                repaid=budget.repaid,
                approved_unpaid=approved_unpaid,
                claims_paid=claims_paid,
                reduced=sums["reduce"],
            )
        )
    return report
