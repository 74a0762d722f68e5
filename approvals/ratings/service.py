"""Who may rate which claim, the rating itself, and the figures per department."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError

from approvals.access.rules import can_view, rule_for
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid
from approvals.extensions import db
from approvals.i18n import N_
from approvals.ratings.models import COMMENT_MAX, SCORES, ServiceRating
from approvals.workflow.registry import engine_for

NOT_ENDED = N_("申报办结后才能评价")
NOT_CLAIMANT = N_("只有申报单位可以评价")
RATED = N_("该申报已评价")


def ended(claim) -> bool:
    """Decided for good, or paid (a paid claim's recovery is not the service being rated)."""
    spec = engine_for(claim).spec
    return spec.states[claim.state].final or spec.has_tag(claim.state, "paid")


def is_claimant(actor, claim) -> bool:
    return rule_for(actor).owner and can_view(actor, claim)


@dataclass(frozen=True)
class RatingPanel:
    rating: ServiceRating | None
    may_rate: bool


def rating_panel(actor, claim) -> RatingPanel | None:
    """The claim page's panel: the rating given, or the form for the claimant of an ended claim."""
    rating = db.session.scalar(select(ServiceRating).filter_by(claim_id=claim.id))
    may_rate = rating is None and ended(claim) and is_claimant(actor, claim)
    if rating is None and not may_rate:
        return None
    return RatingPanel(rating, may_rate)


def rate(actor, claim, score, comment: str) -> ServiceRating:
    if not is_claimant(actor, claim):
        raise Forbidden(NOT_CLAIMANT)
    if not ended(claim):
        raise Conflict(NOT_ENDED, code="not_ended")
    errors = {}
    if isinstance(score, str) and score.strip().isdigit():
        score = int(score.strip())
    if isinstance(score, bool) or score not in SCORES:
        errors["score"] = N_("请选择 1 至 5 分")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = N_("评价内容不能超过500字")
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    try:
        with transaction():
            rating = ServiceRating(
                claim_id=claim.id,
                department_id=claim.department_id,
                rated_by_id=actor.id,
                score=score,
                comment=comment,
            )
            db.session.add(rating)
    except IntegrityError as exc:  # rated meanwhile, in another tab
        raise Conflict(RATED, code="already_rated") from exc
    return rating


@dataclass(frozen=True)
class DepartmentRatings:
    department: str
    count: int
    average: float
    satisfied: int  # 4 or 5

    @property
    def satisfied_share(self) -> str:
        return f"{self.satisfied * 100 / self.count:.1f}%" if self.count else "—"


def by_department() -> list[DepartmentRatings]:
    """好差评 per department, one GROUP BY."""
    from approvals.organisations.models import Department

    rows = db.session.execute(
        select(
            Department.name,
            func.count(),
            func.avg(ServiceRating.score),
            func.count(case((ServiceRating.score >= 4, 1))),
        )
        .join(Department, Department.id == ServiceRating.department_id)
        .group_by(Department.name)
        .order_by(Department.name)
    )
    return [DepartmentRatings(name, n, float(avg or 0), good) for name, n, avg, good in rows]
