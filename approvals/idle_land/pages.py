"""What the idle-land pages show: the cases an actor may see, and one case with its parcel,
the criteria checked, its period and its fee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from approvals.access import visible_clause
from approvals.claims.models import Claim
from approvals.claims.services import get_visible
from approvals.clock import local_today
from approvals.errors import NotFound
from approvals.extensions import db
from approvals.idle_land import criteria
from approvals.idle_land.models import IdleParcel
from approvals.idle_land.notice import reported_on
from approvals.idle_land.services import WORKFLOW
from approvals.workflow.deadlines import last_day_of
from approvals.workflow.registry import engine_for

LIST_LIMIT = 200


@dataclass(frozen=True)
class Case:
    claim: Claim
    parcel: IdleParcel
    state_label: str
    findings: list  # every criterion, checked on the day of the report
    checked_on: date
    last_day: date | None  # of the current period, if it runs
    days_left: int | None

    @property
    def met(self) -> list:
        return [f for f in self.findings if f.holds]


def _case(claim: Claim, parcel: IdleParcel) -> Case:
    on = reported_on(claim)
    last = last_day_of(claim.due_at) if claim.due_at is not None else None
    return Case(
        claim=claim,
        parcel=parcel,
        state_label=engine_for(claim).spec.label(claim.state),
        findings=criteria.check(parcel, on),
        checked_on=on,
        last_day=last,
        days_left=(last - local_today()).days if last else None,
    )


def cases(actor) -> list[Case]:
    """The idle-land cases `actor` may see, newest first."""
    query = (
        select(Claim, IdleParcel)
        .join(IdleParcel, IdleParcel.claim_id == Claim.id)
        .where(Claim.workflow == WORKFLOW, visible_clause(actor, Claim))
        .options(joinedload(Claim.enterprise), joinedload(IdleParcel.owner))
        .order_by(Claim.id.desc())
        .limit(LIST_LIMIT)
    )
    return [_case(claim, parcel) for claim, parcel in db.session.execute(query)]


def case(actor, claim_id: int) -> Case:
    claim = get_visible(actor, claim_id)
    parcel = db.session.scalar(select(IdleParcel).where(IdleParcel.claim_id == claim.id))
    if claim.workflow != WORKFLOW or parcel is None:
        raise NotFound("闲置土地处置不存在或无权查看")
    return _case(claim, parcel)
