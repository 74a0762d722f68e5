"""Where a special-fund claim stands in expert review, asked of its own workflow version by
the moves the workflow marks (effects with no work of their own), never by state names.

The state being scored is the one `expert_review.close` leaves; the state awaiting the
ranking is the one `expert_review.fund` and `expert_review.not_selected` leave.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_

from approvals.workflow.registry import engine_for, workflows

CLOSE = "expert_review.close"
FUND = "expert_review.fund"
NOT_SELECTED = "expert_review.not_selected"
MARKERS = (CLOSE, FUND, NOT_SELECTED)


def sources(spec, effect: str) -> tuple[str, ...]:
    """The states a move naming `effect` leaves, in `spec`."""
    return tuple(dict.fromkeys(s for t in spec.with_effect(effect) for s in t.sources))


def is_at(claim, effect: str) -> bool:
    """Whether the claim is in a state that a move naming `effect` leaves."""
    return claim.state in sources(engine_for(claim).spec, effect)


def at_clause(model, effect: str) -> ColumnElement[bool]:
    """SQL: `model` (Claim) is in a state a move naming `effect` leaves, in its own version."""
    branches = [
        and_(
            model.workflow == engine.spec.name,
            model.workflow_version == engine.spec.version,
            model.state.in_(states),
        )
        for engine in workflows().values()
        if (states := sources(engine.spec, effect))
    ]
    return or_(*branches) if branches else false()


def trigger(claim, effect: str) -> str:
    """The trigger of the claim's workflow whose move names `effect` ("" when none)."""
    moves = engine_for(claim).spec.with_effect(effect)
    return moves[0].trigger if moves else ""


def triggers(effect: str) -> tuple[str, ...]:
    """Every loaded workflow's triggers whose move names `effect`."""
    found = (t.trigger for e in workflows().values() for t in e.spec.with_effect(effect))
    return tuple(dict.fromkeys(found))


def sources_of_workflow(name: str, effect: str) -> tuple[str, ...]:
    """The states a move naming `effect` leaves in the newest version of workflow `name`."""
    loaded = workflows()
    return sources(loaded.get(name).spec, effect) if name in loaded else ()


def register(cat) -> None:
    for name in MARKERS:
        cat.effect(name)
