"""委派: for whom an official acts today, and the claims that lets them see.

An official names a substitute for a period (approvals/claims/delegations.py writes the
rows, approvals/workflow/models.py `Delegation`). While it runs (its Beijing dates include
today and it is not revoked) the substitute may decide what the principal could decide
(approvals/access/tasks.py) and sees the claims the principal's tasks are on: the rule
table's `DELEGATED_TASK`, which is the principal's own scope asked for each principal, so
that Python and SQL read the one definition the principal's scope already has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, event, false, or_, select, union
from sqlalchemy.orm import Session

from approvals.access.roles import DEPARTMENT_TASK, Scope
from approvals.clock import local_today
from approvals.extensions import db

if TYPE_CHECKING:
    from approvals.organisations.models import User

# The workflow's table (approvals/workflow/models.py `Delegation`), read by name: access
# imports neither the workflow nor any feature, which both import access.
DELEGATIONS = "delegations"
# A request asks for the same official's principals for every scope and count on a page
# (five times on a reviewer's queue): read once per session, forgotten when it writes one.
KNOWN = "approvals.principals"


def principals(actor: User, today: date | None = None) -> list[User]:
    """The officials `actor` substitutes for today (a delegation whose Beijing dates include
    it, not revoked), in the order the delegations were made, each once; only those of the
    actor's own role (one whose role has changed since carries no right)."""
    if getattr(actor, "id", None) is None:
        return []
    today = today or local_today()
    known = db.session.info.setdefault(KNOWN, {})
    key = (actor.id, actor.role, today)
    if key not in known:
        known[key] = _read(actor, today)
    return list(known[key])


def _read(actor: User, today: date) -> list[User]:
    delegations = db.metadata.tables[DELEGATIONS].c
    # The accounts' model, as the caller holds it (`__class__`, which a request's proxy of the
    # signed-in user passes through, unlike type()).
    person = actor.__class__
    rows = db.session.scalars(
        select(person)
        .join_from(person, db.metadata.tables[DELEGATIONS], delegations.principal_id == person.id)
        .where(
            delegations.substitute_id == actor.id,
            delegations.revoked_at.is_(None),
            delegations.starts_on <= today,
            delegations.ends_on >= today,
            person.role == actor.role,
        )
        .order_by(delegations.id)
    )
    found: dict[int, User] = {}
    for principal in rows:
        found.setdefault(principal.id, principal)
    return list(found.values())


@event.listens_for(Session, "after_flush")
def _forget_principals(session: Session, _flush_context) -> None:
    written = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(row, "__tablename__", None) == DELEGATIONS for row in written):
        session.info.pop(KNOWN, None)


@dataclass(frozen=True)
class Delegated(Scope):
    """The claims `base` ties any of the actor's principals to, today."""

    base: Scope = DEPARTMENT_TASK

    def holds(self, actor, claim) -> bool:
        return any(self.base.holds(principal, claim) for principal in principals(actor))

    def clause(self, actor, model) -> ColumnElement[bool]:
        branches = [self.base.clause(principal, model) for principal in principals(actor)]
        return or_(*branches) if branches else false()

    def ids(self, actor, model):
        branches = [self.base.ids(principal, model) for principal in principals(actor)]
        branches = [b for b in branches if b is not None]
        return union(*branches) if len(branches) > 1 else (branches[0] if branches else None)


# A claim a principal's department has a review task on: its substitute reads it too.
DELEGATED_TASK = Delegated("delegated_task")
