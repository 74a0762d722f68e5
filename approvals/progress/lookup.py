"""进度查询: a claim found by its number and its claimant's credit code, and only its state and
dates; a wrong pair says nothing of whether the number exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.clock import LOCAL
from approvals.errors import NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations.credit_code import normalise
from approvals.organisations.models import Enterprise
from approvals.progress.stages import Step
from approvals.progress.stepper import steps_for
from approvals.workflow.registry import engine_for

NO_MATCH = N_("未找到与该申报编号和统一社会信用代码相符的申报，请核对后再试")


@dataclass(frozen=True)
class Progress:
    number: str
    state_label: object  # the state's bilingual label
    final: bool
    submitted_on: date | None
    updated_on: date | None
    decided_on: date | None
    steps: list[Step]


def _day(moment) -> date | None:
    return moment.astimezone(LOCAL).date() if moment else None


def find(number: str, credit_code: str) -> Progress:
    """The progress of the claim with this number whose claimant has this credit code; one
    query on both, so that a wrong pair is one answer whatever is wrong."""
    number = (number or "").strip().upper()
    code = normalise(credit_code)
    claim = None
    if number and code:
        claim = db.session.scalar(
            select(Claim)
            .join(Enterprise, Claim.enterprise_id == Enterprise.id)
            .where(Claim.number == number, Enterprise.credit_code == code)
        )
    # A draft has no number; one never submitted is the claimant's alone.
    if claim is None or claim.submitted_at is None:
        raise NotFound(NO_MATCH)
    spec = engine_for(claim).spec
    last = claim.events[-1].at if claim.events else claim.updated_at
    return Progress(
        number=claim.number,
        state_label=spec.states[claim.state].label,
        final=spec.states[claim.state].final,
        submitted_on=_day(claim.submitted_at),
        updated_on=_day(last),
        decided_on=_day(claim.decided_at),
        steps=steps_for(claim),
    )
