"""Guards: named predicates of a claim that enable or choose a transition.

A guard answers True or False; its `explain` says in Chinese what to fix when it is False,
and `field` names the part of the claim to fix. The guards themselves belong to the features
that know the facts (approvals/claims/guards.py) and are registered on the catalog.
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
    # A fact of the record's kind that nobody can change (a recognition, not a payout): a
    # move whose routing guard disagrees is not offered at all, rather than offered and
    # refused (Engine.offered_from); advance() still checks it like any other guard.
    routing: bool = False
