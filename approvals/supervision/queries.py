"""Reading the 督办通知 as the rule table lets an actor (approvals/access/rules.py), and
counting them for the oversight page."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from approvals.access.rules import supervisions_seen
from approvals.claims.models import Claim
from approvals.errors import NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.notices.models import Notice, NoticeFile
from approvals.policies.models import Policy
from approvals.supervision.models import Supervision, SupervisionItem

PAGE = 200  # the newest; a year's 督办 of a city stays well under it
NOT_FOUND = N_("督办通知不存在或无权查看")


def _visible(actor, query):
    seen = supervisions_seen(actor)
    if seen == "all":
        return query
    if seen == "own":
        return query.where(Supervision.department_id == actor.department_id)
    return None


def visible(actor, limit: int = PAGE) -> list[Supervision]:
    query = _visible(
        actor,
        select(Supervision)
        .options(joinedload(Supervision.department), joinedload(Supervision.notice))
        .order_by(Supervision.id.desc())
        .limit(limit),
    )
    return [] if query is None else list(db.session.scalars(query).unique())


def get_visible(actor, supervision_id: int) -> Supervision:
    query = _visible(actor, select(Supervision).where(Supervision.id == supervision_id))
    supervision = None if query is None else db.session.scalar(query)
    if supervision is None:
        raise NotFound(NOT_FOUND)
    return supervision


def notice_with_pdf(supervision: Supervision) -> Notice | None:
    return db.session.scalar(
        select(Notice)
        .where(Notice.supervision_id == supervision.id)
        .options(joinedload(Notice.file).undefer(NoticeFile.pdf))
    )


def counts(year: int | None = None) -> dict[tuple[int, int], int]:
    """{(addressed department id, call year): 督办通知 listing claims of that year}, one
    grouped statement."""
    query = (
        select(
            Supervision.department_id,
            Policy.call_year,
            func.count(func.distinct(Supervision.id)),
        )
        .join(SupervisionItem, SupervisionItem.supervision_id == Supervision.id)
        .join(Claim, Claim.id == SupervisionItem.claim_id)
        .join(Policy, Policy.id == Claim.policy_id)
        .group_by(Supervision.department_id, Policy.call_year)
    )
    if year is not None:
        query = query.where(Policy.call_year == year)
    return {(dept, call_year): n for dept, call_year, n in db.session.execute(query)}


def total() -> int:
    return db.session.scalar(select(func.count()).select_from(Supervision))
