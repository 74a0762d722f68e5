"""补正: the deadline of a return for supplement, what the enterprise is shown, and the lapse.

A reviewer returns a claim with `supplement_days` working days (1–30, default 10); its
补正期限 is that many working days after the day of the return (Beijing date), on the PRC
working-day calendar. The enterprise may resubmit until the end of that day, even after the
policy's window closed. `flask tick` then takes, for each claim still returned after its
补正期限, the system's move out of the returned state (its lapse: 逾期未补正，视为放弃),
through `advance()`, with the system as the actor. States are known by their tags
(`awaiting_supplement`), the lapse by who takes it: no state or trigger is named here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import g
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from approvals.claims.models import Claim
from approvals.claims.tagged import in_states_tagged
from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.errors import DomainError
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow.calendar import (
    add_working_days,
    load_overrides,
    working_days_left,
)
from approvals.workflow.registry import engine_for, workflows
from approvals.workflow.spec import TransitionSpec, WorkflowSpec

DEFAULT_DAYS = 10
MIN_DAYS, MAX_DAYS = 1, 30
SYSTEM_USERNAME = "system"
# No password hash has this form, so no password ever matches (werkzeug answers False).
UNUSABLE_PASSWORD = "!"
SYSTEM_ROLE = "system"


def lapses(spec: WorkflowSpec) -> list[TransitionSpec]:
    """The lapses of a workflow: the system's moves out of a state awaiting supplement."""
    return [
        t
        for t in spec.transitions
        if SYSTEM_ROLE in t.roles and any(spec.has_tag(s, "awaiting_supplement") for s in t.sources)
    ]


def _lapse_from(spec: WorkflowSpec, state: str) -> TransitionSpec | None:
    return next((t for t in lapses(spec) if state in t.sources), None)


def deadline_terms(days: int, returned_on: date) -> dict:
    """What a return for supplement records: on the claim, in its event and on its notice."""
    deadline = add_working_days(returned_on, days, load_overrides())
    return {
        "supplement_due": deadline.due.isoformat(),
        "supplement_due_provisional": deadline.provisional,
    }


# What the enterprise is shown --------------------------------------------------------------


@dataclass(frozen=True)
class SupplementDeadline:
    due: date
    provisional: bool
    days_left: int  # working days after today, up to and including the due date
    last_day: bool  # today is the due date: resubmission is still possible today
    passed: bool


def deadline_of(claim, today: date | None = None) -> SupplementDeadline | None:
    """The 补正期限 of a claim that is returned (or lapsed), with what is left of it."""
    if claim.supplement_due is None:
        return None
    spec = engine_for(claim).spec
    lapsed = {t.dest for t in lapses(spec)}
    if not (spec.has_tag(claim.state, "awaiting_supplement") or claim.state in lapsed):
        return None
    today = today or current_time().astimezone(LOCAL).date()
    due = claim.supplement_due
    return SupplementDeadline(
        due=due,
        provisional=claim.supplement_due_provisional,
        days_left=working_days_left(today, due, _page_overrides()),
        last_day=today == due,
        passed=today > due,
    )


def _page_overrides():
    """The administrator's dates, read once per request however many claims a page lists."""
    if "calendar_overrides" not in g:
        g.calendar_overrides = load_overrides()
    return g.calendar_overrides


# The system actor and the lapse ---------------------------------------------------------------


def system_user() -> User:
    """The one system account, created on first use; it has no password and cannot sign in."""
    query = select(User).where(User.role == SYSTEM_ROLE)
    user = db.session.scalar(query)
    if user is not None:
        return user
    try:
        with transaction():
            user = User(
                username=SYSTEM_USERNAME,
                password_hash=UNUSABLE_PASSWORD,
                display_name="系统",
                role=SYSTEM_ROLE,
                active=False,  # Flask-Login and the API refuse inactive accounts
            )
            db.session.add(user)
    except IntegrityError:  # a tick running beside this one created it first
        user = db.session.scalar(query)
        if user is None:
            raise
    return user


@dataclass
class TickReport:
    lapsed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (claim number, why)


def lapse_overdue(now: datetime | None = None) -> TickReport:
    """Lapse every returned claim whose 补正期限 passed before `now` (Beijing date). Safe to
    run twice or beside itself: each claim is moved under the version read here, so a
    resubmission that commits first wins and the lapse is refused, never both."""
    from approvals.workflow.runtime import advance

    now = now or current_time()
    today = now.astimezone(LOCAL).date()
    report = TickReport()
    system = system_user()
    # Plain rows, read once: each claim is moved under the version and state read here.
    overdue = db.session.execute(
        select(
            Claim.id,
            Claim.version,
            Claim.number,
            Claim.workflow,
            Claim.workflow_version,
            Claim.state,
        )
        .where(in_states_tagged("awaiting_supplement"), Claim.supplement_due < today)
        .order_by(Claim.id)
    ).all()
    for claim_id, version, number, workflow, workflow_version, state in overdue:
        lapse = _lapse_from(workflows().get(workflow, workflow_version).spec, state)
        if lapse is None:  # this workflow lets a returned claim wait: nothing to take
            continue
        try:
            advance(system, claim_id, lapse.trigger, version=version, now=now)
        except DomainError as exc:  # resubmitted, withdrawn or changed meanwhile
            report.skipped.append((number, exc.message))
        else:
            report.lapsed.append(number)
    return report
