"""委派: an official names a colleague of the same role to act for them on review tasks for a
period (a trip, a leave), and may revoke it.

The rows are the workflow's (approvals/workflow/models.py `Delegation`); what a running
delegation lets the substitute see and decide is the access rule's (approvals/access/
delegation.py, tasks.py), and each decision it allows names both people. Services take the
actor and plain values, and own their transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from approvals import limits
from approvals.access.pages import OFFICIALS
from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations.models import User
from approvals.workflow.models import Delegation

REASON_MAX = 200
LONGEST = 366  # days: a delegation is for a trip or a leave, not for good
NOT_OFFICIAL = N_("只有职能部门、财政局和市政府的工作人员可以委派")
NOT_VISIBLE = N_("委派不存在或无权查看")
# Where a delegation stands on a day (its Beijing dates are inclusive).
STATUS_LABELS = {
    "scheduled": N_("未开始"),
    "running": N_("生效中"),
    "ended": N_("已到期"),
    "revoked": N_("已撤销"),
}


def status(delegation: Delegation, today: date) -> str:
    if delegation.revoked_at is not None:
        return "revoked"
    if today < delegation.starts_on:
        return "scheduled"
    return "ended" if today > delegation.ends_on else "running"


def _today(now: datetime) -> date:
    return now.astimezone(LOCAL).date()


def _official(actor) -> None:
    if actor.role not in OFFICIALS:
        raise Forbidden(NOT_OFFICIAL)


def substitutes(actor) -> list[User]:
    """Whom `actor` may name: the other active officials of its role, by department."""
    _official(actor)
    query = (
        select(User)
        .where(User.role == actor.role, User.active.is_(True), User.id != actor.id)
        .options(selectinload(User.department))
        .order_by(User.department_id, User.display_name, User.id)
    )
    return list(db.session.scalars(query))


def listed(actor) -> tuple[list[Delegation], list[Delegation]]:
    """(the delegations `actor` gave, those it received), newest first."""
    _official(actor)
    query = (
        select(Delegation)
        .where(or_(Delegation.principal_id == actor.id, Delegation.substitute_id == actor.id))
        .options(selectinload(Delegation.principal), selectinload(Delegation.substitute))
        .order_by(Delegation.id.desc())
    )
    rows = list(db.session.scalars(query))
    return [d for d in rows if d.principal_id == actor.id], [
        d for d in rows if d.substitute_id == actor.id
    ]


def _substitute(actor, value) -> tuple[User | None, str | None]:
    user_id = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, str):
        user_id = limits.parse_id(value.strip())
    if value in (None, ""):
        return None, N_("请选择受委派人")
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is not None and user.id == actor.id:
        return None, N_("不能委派给自己")
    if user is None or not user.active or user.role != actor.role:
        return None, N_("受委派人应为与您同一角色的在岗工作人员")
    return user, None


def _period(starts_on, ends_on, today: date) -> dict[str, str]:
    problems = {}
    if not isinstance(starts_on, date):
        problems["starts_on"] = N_("请填写开始日期")
    elif starts_on < today:
        problems["starts_on"] = N_("开始日期不能早于今天")
    if not isinstance(ends_on, date):
        problems["ends_on"] = N_("请填写结束日期")
    elif isinstance(starts_on, date) and ends_on < starts_on:
        problems["ends_on"] = N_("结束日期不能早于开始日期")
    elif isinstance(starts_on, date) and (ends_on - starts_on).days >= LONGEST:
        problems["ends_on"] = f"委派期限不能超过{LONGEST}天"
    return problems


def _reason(value) -> tuple[str, str | None]:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return "", N_("请填写委派原因，如出差、休假")
    if len(text) > REASON_MAX:
        return "", f"委派原因不能超过{REASON_MAX}字"
    return text, limits.text_problem(text)


def delegate(actor, substitute, starts_on, ends_on, reason, *, now=None) -> Delegation:
    """`actor` names `substitute` (a user id) to act for it from `starts_on` to `ends_on`
    (Beijing dates, inclusive); every wrong value is named at once (422)."""
    _official(actor)
    now = now or current_time()
    user, problem = _substitute(actor, substitute)
    problems = {"substitute": problem} if problem else {}
    problems.update(_period(starts_on, ends_on, _today(now)))
    text, problem = _reason(reason)
    if problem:
        problems["reason"] = problem
    if problems:
        raise Invalid("；".join(problems.values()), fields=problems)
    with transaction():
        delegation = Delegation(
            principal_id=actor.id,
            substitute_id=user.id,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=text,
            created_by_id=actor.id,
            created_at=now,
        )
        db.session.add(delegation)
    return delegation


def revoke(actor, delegation_id: int, *, now=None) -> Delegation:
    """The principal (or whoever made it) ends a delegation now; the decisions already taken
    under it stand."""
    _official(actor)
    now = now or current_time()
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or actor.id not in (delegation.principal_id, delegation.created_by_id):
        raise NotFound(NOT_VISIBLE)
    stands = status(delegation, _today(now))
    if stands == "revoked":
        raise Conflict(N_("该委派已撤销"), code="delegation_revoked")
    if stands == "ended":
        raise Conflict(N_("该委派已到期，无需撤销"), code="delegation_ended")
    with transaction():
        delegation.revoked_at = now
    return delegation
