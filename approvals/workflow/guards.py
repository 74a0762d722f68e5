"""Named guards: pure predicates of a claim that enable or choose a transition.

A guard answers True or False; its `explain` says in Chinese what to fix when it is False.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from approvals.organisations.payee import claim_payee_problems, payout_refusal


@dataclass(frozen=True)
class GuardContext:
    today: date  # the local (Asia/Shanghai) date of the attempt


@dataclass(frozen=True)
class Guard:
    name: str
    check: Callable[[object, GuardContext], bool]
    explain: Callable[[object, GuardContext], str]
    field: str  # the part of the claim a user must fix when the guard fails


GUARDS: dict[str, Guard] = {}


def guard(name: str, explain: Callable[[object, GuardContext], str], field: str = "claim"):
    def register(check):
        GUARDS[name] = Guard(name, check, explain, field)
        return check

    return register


def _window_text(claim, ctx: GuardContext) -> str:
    policy = claim.policy
    return f"不在申报期内（{policy.window_open:%Y-%m-%d} 至 {policy.window_close:%Y-%m-%d}）"


@guard("window_open", _window_text, field="policy")
def window_open(claim, ctx: GuardContext) -> bool:
    return claim.policy.window_is_open(ctx.today)


# The window governs the first submission only: a returned claim is resubmitted within its
# 补正期限 (inclusive, Beijing date), however the window stands. A claim returned before
# deadlines were recorded has none, and keeps the window's rule.
def _supplement_text(claim, ctx: GuardContext) -> str:
    if claim.supplement_due is None:
        return _window_text(claim, ctx)
    return f"补正期限（{claim.supplement_due:%Y-%m-%d}）已过，不能再提交补正材料"


@guard("within_supplement_period", _supplement_text, field="supplement_due")
def within_supplement_period(claim, ctx: GuardContext) -> bool:
    if claim.supplement_due is None:
        return window_open(claim, ctx)
    return ctx.today <= claim.supplement_due


def _not_overdue_text(claim, ctx: GuardContext) -> str:
    due = claim.supplement_due
    return f"补正期限（{due:%Y-%m-%d}）尚未届满" if due else "该申报没有补正期限"


@guard("supplement_overdue", _not_overdue_text, field="supplement_due")
def supplement_overdue(claim, ctx: GuardContext) -> bool:
    return claim.supplement_due is not None and ctx.today > claim.supplement_due


def _missing_text(claim, ctx: GuardContext) -> str:
    missing = claim.policy.missing_evidence({a.kind for a in claim.attachments})
    return "缺少证明材料：" + "、".join(missing)


@guard("evidence_complete", _missing_text, field="attachments")
def evidence_complete(claim, ctx: GuardContext) -> bool:
    return not claim.policy.missing_evidence({a.kind for a in claim.attachments})


@guard("needs_government_approval", lambda claim, ctx: "该政策无需市政府审定")
def needs_government_approval(claim, ctx: GuardContext) -> bool:
    return bool(claim.policy.requires_government_approval)


# The rule is the payee module's (pure functions of plain values, no database).
@guard(
    "payee_valid",
    lambda claim, ctx: payout_refusal(claim_payee_problems(claim)),
    field="bank_account",
)
def payee_valid(claim, ctx: GuardContext) -> bool:
    return not claim_payee_problems(claim)


# The query is the claims feature's; imported when called, since claims builds on workflow.
def _group_conflict(claim):
    if not getattr(claim.policy, "exclusive_group", None):
        return None  # most clauses belong to no group: nothing to look up
    from approvals.claims.duplicates import group_conflict

    return group_conflict(claim)


def _group_text(claim, ctx: GuardContext) -> str:
    rival = _group_conflict(claim)
    if rival is None:
        return ""
    return (
        f"同组政策就高不重复：本企业的申报 {rival.number}（{rival.policy.code} "
        f"{rival.policy.title_zh}）已通过财政复核，同一项目不能重复兑现"
    )


@guard("exclusive_group_clear", _group_text, field="exclusive_group")
def exclusive_group_clear(claim, ctx: GuardContext) -> bool:
    return _group_conflict(claim) is None
