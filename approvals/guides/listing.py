"""The home page's list of clauses: search by title, department or funding type, filters,
and sorting by the closing date or the amount, each clause with its days left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from approvals.extensions import db
from approvals.organisations.models import Department
from approvals.policies.models import Policy
from approvals.policies.vocabulary import FUNDING_TYPES

SORTS = ("closing", "amount")
STATUSES = ("", "open", "upcoming")  # both, open now, opening later
QUERY_MAX = 64


@dataclass(frozen=True)
class Search:
    q: str = ""
    department: str = ""
    funding_type: str = ""
    status: str = ""
    sort: str = "closing"

    @classmethod
    def from_args(cls, args) -> Search:
        """What the visitor asked for; anything unknown is ignored, never an error."""

        def pick(name, allowed, default=""):
            value = (args.get(name) or "").strip()
            return value if value in allowed else default

        departments = set(db.session.scalars(select(Department.code)))
        return cls(
            q=(args.get("q") or "").strip()[:QUERY_MAX].replace("\x00", ""),
            department=pick("department", departments),
            funding_type=pick("funding_type", FUNDING_TYPES),
            status=pick("status", STATUSES),
            sort=pick("sort", SORTS, "closing"),
        )


@dataclass(frozen=True)
class Listed:
    policy: Policy
    days_left: int  # days until the window closes (0: closes today)
    opens_in: int  # days until it opens (0: open)


def search(wanted: Search, today: date) -> list[Listed]:
    """The clauses still to be claimed under (not yet closed), as `wanted` filters them."""
    query = (
        select(Policy)
        .join(Department, Policy.department_id == Department.id)
        .where(Policy.window_close >= today)
    )
    if wanted.q:
        words = [
            Policy.title_zh.icontains(wanted.q, autoescape=True),
            Policy.title_en.icontains(wanted.q, autoescape=True),
            Policy.code.icontains(wanted.q, autoescape=True),
            Department.name.icontains(wanted.q, autoescape=True),
            Department.name_en.icontains(wanted.q, autoescape=True),
        ]
        # The funding type by its name as people type it (贴息, grant, …), in either language.
        typed = wanted.q.casefold()
        kinds = [
            kind
            for kind, text in FUNDING_TYPES.items()
            if typed in text or typed in _(text).casefold() or typed == kind
        ]
        if kinds:
            words.append(Policy.funding_type.in_(kinds))
        query = query.where(or_(*words))
    if wanted.department:
        query = query.where(Department.code == wanted.department)
    if wanted.funding_type:
        query = query.where(Policy.funding_type == wanted.funding_type)
    if wanted.status == "open":
        query = query.where(Policy.window_open <= today)
    elif wanted.status == "upcoming":
        query = query.where(Policy.window_open > today)
    if wanted.sort == "amount":
        query = query.order_by(Policy.cap.desc(), Policy.window_close, Policy.code)
    else:
        query = query.order_by(Policy.window_close, Policy.code)
    return [
        Listed(p, (p.window_close - today).days, max(0, (p.window_open - today).days))
        for p in db.session.scalars(query)
    ]
