"""Budgets (专项资金) per policy and year: setting them, and what they show."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from approvals.db import transaction, utcnow
from approvals.errors import Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.finance.ledger import locked_budget
from approvals.finance.models import Budget
from approvals.money import amount_error
from approvals.organisations.models import User
from approvals.policies import amount_rules
from approvals.policies.models import Policy

FINANCE_ROLES = ("finance", "admin")
READER_ROLES = ("finance", "government", "admin")


def require(actor: User, roles: tuple[str, ...]) -> None:
    if actor is None or getattr(actor, "role", None) not in roles:
        raise Forbidden("无权访问财政功能")


def set_budget(actor: User, policy_code: str, year: int, amount) -> Budget:
    """Create or change a policy's budget for a year; never below what is committed."""
    require(actor, FINANCE_ROLES)
    policy = db.session.scalar(select(Policy).where(Policy.code == policy_code))
    if policy is None:
        raise NotFound("政策条款不存在")
    value, problem = amount_error(amount)
    if problem:
        raise Invalid(problem, fields={"amount": problem})
    with transaction():
        budget = locked_budget(policy.id, year)
        if budget is None:
            budget = Budget(policy_id=policy.id, year=year, amount=value)
            db.session.add(budget)
        else:
            committed = budget.reserved + budget.paid
            if value < committed:
                message = f"预算不能低于已占用和已拨付的合计 {committed:,.2f} 元"
                raise Invalid(message, fields={"amount": message})
            budget.amount = value
            budget.updated_at = utcnow()
    return budget


@dataclass(frozen=True)
class PolicyBudget:
    policy: Policy
    rule: str  # the amount rule in words
    budget: Budget | None

    def figure(self, name: str) -> Decimal | None:
        if self.budget is None:
            return None
        return getattr(self.budget, name)


def overview(year: int | None = None) -> list[PolicyBudget]:
    """Every policy with its budget for `year` (its call year when not given)."""
    policies = db.session.scalars(select(Policy).order_by(Policy.code)).all()
    budgets = {(b.policy_id, b.year): b for b in db.session.scalars(select(Budget)).all()}
    return [
        PolicyBudget(
            policy=p,
            rule=amount_rules.describe(p.amount_rule),
            budget=budgets.get((p.id, year or p.call_year)),
        )
        for p in policies
    ]
