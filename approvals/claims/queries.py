"""Read-only lists of claims, always filtered by what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from approvals.access import visible_clause
from approvals.access.rules import beyond_scope_ids
from approvals.claims.counts import ClaimCount
from approvals.claims.models import Claim
from approvals.db import utcnow
from approvals.errors import Invalid
from approvals.extensions import db
from approvals.limits import parse_id
from approvals.organisations.models import Department, User
from approvals.policies.models import Policy
from approvals.workflow.registry import workflows

MAX_PAGE = 100


def _parse_limit(limit) -> int:
    try:
        value = int(limit) if limit not in (None, "") else 20
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_PAGE:
        raise Invalid(f"limit 应为 1 到 {MAX_PAGE} 之间的整数", fields={"limit": "无效"})
    return value


def _parse_cursor(cursor) -> int | None:
    if cursor in (None, ""):
        return None
    after = parse_id(cursor)  # an id: ASCII digits within the column's range
    if after is None:
        raise Invalid("cursor 无效", fields={"cursor": "无效"})
    return after


def list_claims(
    actor: User, *, state=None, policy=None, limit=None, cursor=None
) -> tuple[list[Claim], str | None]:
    """Newest first, keyset-paginated on the primary key; returns (items, next_cursor)."""
    size = _parse_limit(limit)
    after = _parse_cursor(cursor)
    query = (
        select(Claim)
        .where(visible_clause(actor, Claim))
        .options(selectinload(Claim.enterprise), selectinload(Claim.policy))
        .order_by(Claim.id.desc())
        .limit(size + 1)
    )
    if state:
        query = query.where(Claim.state == state)
    if policy:
        query = query.where(Claim.policy_id.in_(select(Policy.id).where(Policy.code == policy)))
    if after is not None:
        query = query.where(Claim.id < after)
    rows = list(db.session.scalars(query))
    next_cursor = str(rows[size - 1].id) if len(rows) > size else None
    return rows[:size], next_cursor


# Queues: what waits for an official's office, oldest first --------------------------------

# Which queue (the `queue` of a state in the workflow files) each official role works.
QUEUE_OF_ROLE = {"reviewer": "department", "finance": "finance", "government": "government"}


@dataclass(frozen=True)
class QueueFilter:
    policy: str | None = None  # a policy code
    state: str | None = None  # one of queue_states(actor)
    overdue: bool = False
    newest_first: bool = False


def queue_states(actor: User) -> list[str]:
    """The states waiting for this actor's office, in workflow order, from the workflow data."""
    queue = QUEUE_OF_ROLE.get(actor.role)
    states: list[str] = []
    for engine in workflows().latest():
        for state in engine.spec.states.values():
            if queue and state.queue == queue and state.name not in states:
                states.append(state.name)
    return states


def _queue_clauses(actor: User, policy: str | None) -> list:
    # What the actor may see (a department its own claims, the city offices what reached
    # them) in the states that wait for its office.
    clauses = [visible_clause(actor, Claim), Claim.state.in_(queue_states(actor))]
    if policy:
        policy_id = select(Policy.id).where(Policy.code == policy).scalar_subquery()
        clauses.append(Claim.policy_id == policy_id)
    return clauses


def queue_page(
    actor: User, filters: QueueFilter, *, after=None, size: int = 25, now: datetime | None = None
) -> tuple[list[Claim], str | None]:
    """One page of the actor's queue, keyset-paginated on the id (the order of arrival).

    Each state is read on its own, so that every read walks an index in id order (a read
    of several states at once would sort them all), and the few ids are merged here.
    """
    cursor = _parse_cursor(after)
    clauses = _queue_clauses(actor, filters.policy)
    if filters.overdue:
        clauses.append(Claim.due_at <= (now or utcnow()))
    if cursor is not None:
        clauses.append(Claim.id < cursor if filters.newest_first else Claim.id > cursor)
    order = Claim.id.desc() if filters.newest_first else Claim.id.asc()
    ids: list[int] = []
    for state in [filters.state] if filters.state else queue_states(actor):
        query = select(Claim.id).where(*clauses, Claim.state == state)
        ids += db.session.scalars(query.order_by(order).limit(size + 1))
    ids = sorted(ids, reverse=filters.newest_first)[: size + 1]
    rows = list(
        db.session.scalars(
            select(Claim)
            .where(Claim.id.in_(ids))
            .order_by(order)
            .options(selectinload(Claim.enterprise), selectinload(Claim.policy))
        )
    )
    next_cursor = str(rows[size - 1].id) if len(rows) > size else None
    return rows[:size], next_cursor


def queue_counts(actor: User, policy: str | None = None, now: datetime | None = None) -> dict:
    """{state: (waiting, overdue)} for the actor's queue.

    Waiting: the counts the database keeps per state, department and clause (approvals/
    claims/counts.py) for the actor's own scope, which stay as fast at a million claims as
    at ten; plus, for a reviewer, the few claims of other departments it sees through its
    tasks, its principals or its agency filings, counted by rows. Overdue: counted by rows
    on the index of (state, department, due_at), which reads only the overdue ones.
    """
    states = queue_states(actor)
    if not states:
        return {}
    waiting = dict.fromkeys(states, 0)
    counted = select(ClaimCount.state, func.sum(ClaimCount.claims)).where(
        ClaimCount.state.in_(states)
    )
    own = OWN_SCOPE.get(actor.role)
    if own is None:
        return {state: (0, 0) for state in states}
    if own == "department":
        counted = counted.where(ClaimCount.department_id == actor.department_id)
    if policy:
        counted = counted.where(ClaimCount.policy_id == _policy_id(policy))
    for state, n in db.session.execute(counted.group_by(ClaimCount.state)):
        waiting[state] += int(n or 0)
    beyond = beyond_scope_ids(actor, Claim)
    if beyond is not None and own == "department":
        others = select(Claim.state, func.count()).where(
            Claim.id.in_(beyond),
            Claim.state.in_(states),
            Claim.department_id != actor.department_id,
        )
        if policy:
            others = others.where(Claim.policy_id == _policy_id(policy))
        for state, n in db.session.execute(others.group_by(Claim.state)):
            waiting[state] += n
    late = select(Claim.state, func.count()).where(
        *_queue_clauses(actor, policy), Claim.due_at <= (now or utcnow())
    )
    overdue = dict(db.session.execute(late.group_by(Claim.state)).all())
    return {state: (waiting[state], overdue.get(state, 0)) for state in states}


# Whose claims a queue's own scope holds, as the kept counts can be read for it: a reviewer's
# department's; everything in a city office's states (a claim is there only once it has
# reached that office: approvals/claims/history.py `arrive`).
OWN_SCOPE = {"reviewer": "department", "finance": "all", "government": "all"}


def _policy_id(code: str):
    return select(Policy.id).where(Policy.code == code).scalar_subquery()


def queue_policies(actor: User) -> list[Policy]:
    """The policies a queue can be filtered by: the department's own, or all of them."""
    query = select(Policy).order_by(Policy.code)
    if actor.role == "reviewer":
        query = query.where(Policy.department_id == actor.department_id)
    return list(db.session.scalars(query))


def programme_counts() -> list[tuple[str, str, int, Decimal | None]]:
    """(department code, state, claims, requested total) over the whole programme."""
    query = (
        select(Department.code, Claim.state, func.count(), func.sum(Claim.requested_amount))
        .join(Department, Department.id == Claim.department_id)
        .group_by(Department.code, Claim.state)
        .order_by(Department.code, Claim.state)
    )
    return [tuple(row) for row in db.session.execute(query)]
