"""政策计算器: which open clauses an enterprise qualifies for, which it nearly does and why
not, and what each amount rule would give it, with the computation written out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from approvals.eligibility.conditions import NEARLY, NOT, QUALIFIES, Facts, Outcome, judge, verdict
from approvals.extensions import db
from approvals.policies import amount_rules
from approvals.policies.amount_rules import Computation, yuan
from approvals.policies.models import Policy

# The inputs of a loan-interest rule the visitor may type (the profile holds no loans).
LOAN_INPUTS = ("principal", "annual_rate", "months")
_ANY_LOAN = {"type": "loan_interest", "share": "1"}


def loan_inputs(values) -> tuple[dict, dict[str, str]]:
    """The loan figures typed (blank: not given), checked as the amount rules check them."""
    given = {n: values.get(n) for n in LOAN_INPUTS if (values.get(n) or "").strip()}
    if not given:
        return {}, {}
    _clean, errors = amount_rules.validate_inputs(_ANY_LOAN, given)
    errors = {name: text for name, text in errors.items() if name in given}
    if errors:
        return {}, errors
    return given, {}


@dataclass(frozen=True)
class Result:
    policy: Policy
    verdict: str
    outcomes: list[Outcome]
    estimate: Computation | None  # None: a recognition (税收分成认定) pays no amount


@dataclass
class Results:
    qualifying: list[Result] = field(default_factory=list)
    nearly: list[Result] = field(default_factory=list)
    unconditioned: list[Result] = field(default_factory=list)  # clauses that ask nothing
    not_qualifying: int = 0


def open_clauses(today: date, claimant_type: str = "enterprise") -> list[Policy]:
    rows = db.session.scalars(
        select(Policy)
        .where(Policy.window_open <= today, Policy.window_close >= today)
        .order_by(Policy.window_close, Policy.code)
    )
    return [p for p in rows if claimant_type in (p.claimant_types or ())]


def _upper(policy: Policy) -> Decimal:
    rule = policy.amount_rule or {}
    return min([policy.cap] + ([Decimal(rule["cap"])] if rule.get("cap") else []))


def estimate(
    policy: Policy, facts: Facts, loan: dict, today: date
) -> tuple[Computation, dict | None]:
    """The amount rule's maximum for these facts and the inputs it was computed from: the
    investment of last year is a percentage rule's base, the typed loan a loan-interest
    rule's inputs; without them, the upper limit, saying what is missing (inputs None)."""
    rule = policy.amount_rule
    fields = amount_rules.input_fields(rule)
    raw = {}
    for f in fields:
        if f.name == "base":
            base = facts.figure(today.year - 1, "investment")
            raw["base"] = f"{base:f}" if base else ""
        else:
            raw[f.name] = loan.get(f.name, "")
    inputs, errors = amount_rules.validate_inputs(rule, raw)
    if errors:
        missing = "、".join(f.label for f in fields if f.name in errors)
        text = f"最高 {yuan(_upper(policy))} 元（填写{missing}后可估算）"
        return Computation(_upper(policy), text), None
    return amount_rules.compute(rule, inputs, policy.cap), inputs or {}


def calculate(
    facts: Facts, today: date, loan: dict | None = None, claimant_type: str = "enterprise"
) -> Results:
    results = Results()
    for policy in open_clauses(today, claimant_type):
        outcomes = judge(policy.eligibility, facts, today)
        found = verdict(outcomes)
        if found == NOT:
            results.not_qualifying += 1
            continue
        computed = None
        if not policy.is_recognition:
            computed, _inputs = estimate(policy, facts, loan or {}, today)
        result = Result(policy, found, outcomes, computed)
        if not policy.eligibility:
            results.unconditioned.append(result)
        elif found == QUALIFIES:
            results.qualifying.append(result)
        elif found == NEARLY:
            results.nearly.append(result)
    return results
