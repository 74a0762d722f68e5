"""What the publicity pages read: the public lists and their settled objections (never the
objector's contact details), finance's policies awaiting publicity, a department's
objections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from approvals.claims.models import Claim
from approvals.errors import NotFound
from approvals.extensions import db
from approvals.policies.models import Policy
from approvals.publicity.models import OPEN, Objection, Publicity, PublicityItem
from approvals.publicity.services import NOT_FOUND, awaiting_clause


@dataclass(frozen=True)
class Standing:
    """Where a list stands on a day, as the public page says it."""

    running: bool
    ended: bool
    open_objections: int


def lists() -> list[Publicity]:
    """Every published list, newest first."""
    query = (
        select(Publicity)
        .options(selectinload(Publicity.policy), selectinload(Publicity.notice))
        .order_by(Publicity.published_at.desc(), Publicity.id.desc())
    )
    return list(db.session.scalars(query))


def get(publicity_id: int) -> Publicity:
    publicity = db.session.get(Publicity, publicity_id)
    if publicity is None:
        raise NotFound(NOT_FOUND)
    return publicity


def standing(publicity: Publicity, today: date) -> Standing:
    open_count = db.session.scalar(
        select(func.count())
        .select_from(Objection)
        .join(PublicityItem, PublicityItem.id == Objection.item_id)
        .where(PublicityItem.publicity_id == publicity.id, Objection.status == OPEN)
    )
    return Standing(publicity.running(today), publicity.ended(today), open_count)


def policies_awaiting() -> list[tuple[Policy, int]]:
    """(policy, claims awaiting publicity), by policy code: what finance may publish."""
    query = (
        select(Policy, func.count(Claim.id))
        .join(Claim, Claim.policy_id == Policy.id)
        .where(awaiting_clause())
        .group_by(Policy.id)
        .order_by(Policy.code)
    )
    return [(policy, count) for policy, count in db.session.execute(query)]


def department_objections(department_id: int) -> list[Objection]:
    """The department's objections, open ones first, oldest first within each."""
    query = (
        select(Objection)
        .where(Objection.department_id == department_id)
        .options(selectinload(Objection.item).selectinload(PublicityItem.publicity))
        .order_by((Objection.status != OPEN), Objection.id)
    )
    return list(db.session.scalars(query))
