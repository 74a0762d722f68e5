"""Budgets (专项资金) per policy and year: setting them, and what they show."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from approvals.db import transaction, utcnow
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.finance.ledger import locked_budget
from approvals.finance.models import Budget
from approvals.limits import YEAR_MAX, YEAR_MIN
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
    """Create or change a policy's budget for a year; never below what is committed.

    Two people creating the same budget at once both find no row to lock; the unique
    constraint lets one insert win, and the other is told so (409), never a server error.
    """
    require(actor, FINANCE_ROLES)
    policy = db.session.scalar(select(Policy).where(Policy.code == policy_code))
    if policy is None:
        raise NotFound("政策条款不存在")
    value, problem = amount_error(amount)
    if problem:
        raise Invalid(problem, fields={"amount": problem})
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        message = f"年度应为 {YEAR_MIN} 至 {YEAR_MAX} 之间的整数"
        raise Invalid(message, fields={"year": message})
    try:
        with transaction():
            budget = locked_budget(policy.id, year)
            if budget is None:
                budget = Budget(policy_id=policy.id, year=year, amount=value)
                db.session.add(budget)
                db.session.flush()  # the unique constraint answers here, inside the guard
            else:
                committed = budget.reserved + budget.paid
                if value < committed:
                    message = f"预算不能低于已占用和已拨付的合计 {committed:,.2f} 元"
                    raise Invalid(message, fields={"amount": message})
                budget.amount = value
                budget.updated_at = utcnow()
    except IntegrityError as exc:
        raise Conflict(
            f"{policy_code} {year}年度的预算刚由他人同时设立，未保存本次金额；请刷新后查看并重试",
            code="budget_exists",
        ) from exc
    return budget


def budget_for(claim) -> Budget | None:
    """The budget a claim draws on: its policy's, for the policy's call year."""
    return db.session.scalar(
        select(Budget).where(
            Budget.policy_id == claim.policy_id, Budget.year == claim.policy.call_year
        )
    )


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
