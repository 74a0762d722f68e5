"""What a claim's state means, asked of its own workflow version: tags and effects, never names.

Each claim runs on the (workflow, version) it was filed under, so a question about states
("is it paid?", "which claims hold a reservation?") is answered per loaded version
(approvals/workflow/registry.py `tagged_clause`, `is_tagged`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from approvals.claims.models import Claim
from approvals.workflow.registry import engine_for, is_tagged, tagged_clause
from approvals.workflow.spec import TransitionSpec

__all__ = ["in_states_tagged", "is_tagged", "transition_with", "trigger_with"]


def in_states_tagged(*tags: str) -> ColumnElement[bool]:
    """SQL: the claim's state carries any of `tags` in its own workflow version."""
    return tagged_clause(Claim, *tags)


def transition_with(claim: Claim, effect: str) -> TransitionSpec | None:
    """The move out of the claim's current state that names `effect`, if there is one."""
    spec = engine_for(claim).spec
    return next((t for t in spec.from_state(claim.state) if effect in t.effects), None)


def trigger_with(claim: Claim | None, effect: str) -> str:
    """The trigger to hand advance() for the move that names `effect`.

    From the claim's current state if it has such a move; otherwise any of its workflow's,
    so that advance() gives the answer it gives everyone (not visible, not allowed, not from
    this state) rather than this helper telling more; "" when the workflow has none (or the
    claim does not exist), which advance() refuses as unknown.
    """
    if claim is None:
        return ""
    here = transition_with(claim, effect)
    if here is not None:
        return here.trigger
    anywhere = engine_for(claim).spec.with_effect(effect)
    return anywhere[0].trigger if anywhere else ""
