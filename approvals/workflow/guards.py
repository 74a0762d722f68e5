"""Named guards: pure predicates of a claim that enable or choose a transition.

A guard answers True or False; its `explain` says in Chinese what to fix when it is False.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


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


def _missing_text(claim, ctx: GuardContext) -> str:
    missing = claim.policy.missing_evidence({a.kind for a in claim.attachments})
    return "缺少证明材料：" + "、".join(missing)


@guard("evidence_complete", _missing_text, field="attachments")
def evidence_complete(claim, ctx: GuardContext) -> bool:
    return not claim.policy.missing_evidence({a.kind for a in claim.attachments})


@guard("needs_government_approval", lambda claim, ctx: "该政策无需市政府审定")
def needs_government_approval(claim, ctx: GuardContext) -> bool:
    return bool(claim.policy.requires_government_approval)
