"""The stepper's data for one claim, from its workflow version's states and its events."""

from __future__ import annotations

from approvals.progress.stages import Step, steps_of_claim
from approvals.workflow.registry import engine_for


def steps_for(claim) -> list[Step]:
    return steps_of_claim(engine_for(claim).spec, claim, list(claim.events))


def stepper_panel(actor, claim) -> list[Step]:
    """The claim page's stepper: whoever sees the claim sees where it stands."""
    return steps_for(claim)
