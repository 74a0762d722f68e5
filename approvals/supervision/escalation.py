"""What happens around a step's deadline, as three step timers per (department, workflow,
state, deadline): 3 working days before it the officials who must act are reminded; when it
passes the department head is told; 3 working days after it 市府办 issues a 督办通知 to the
office that must act, and that office's officials are told.

Each timer is about the claims still in its state for that department with that deadline
(the index on claims (state, department_id, due_at, id)); a claim decided, returned or
transferred meanwhile is no longer among them, and a timer that finds none does nothing.
One message per official per timer lists the claims, not one message per claim.

Who must act: in a department's state, the assignees of the open review tasks of the
claims' latest round there (a task nobody has taken: the officials of its department, role
and sign-off step), else the reviewers of the claims' department; in finance's or the
government's queue, that office's officials (config FINANCE_DEPARTMENT,
GOVERNMENT_DEPARTMENT). The head: the acting office's officials in position `leader`; an
office with none (the finance bureau's and 市府办's accounts hold no position) is told
through the officials who must act, so that the deadline is never told to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import and_, func, select

from approvals.claims.models import Claim
from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.notifications.record import record
from approvals.organisations.models import Department, Enterprise, User
from approvals.supervision import wording
from approvals.workflow import timers
from approvals.workflow.deadlines import last_day_of
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import workflows

REMIND, AT_DEADLINE, SUPERVISE = "deadline.remind", "deadline.head", "deadline.supervise"
DAYS = 3  # working days before (the reminder) and after (the 督办) the step's last day
# The queues of officials: a state waiting for the enterprise (补正) has none of these.
OFFICE_QUEUES = ("department", "finance", "government")
# The offices of the city's queues, by their configured codes; their officials' role.
OFFICE_OF_QUEUE = {"finance": "FINANCE_DEPARTMENT", "government": "GOVERNMENT_DEPARTMENT"}
NOTHING_DUE = "nothing due"


@dataclass(frozen=True)
class DueClaim:
    id: int
    number: str
    enterprise: str
    project: str


@dataclass(frozen=True)
class Occasion:
    """A timer's claims and the office that must act on them."""

    timer: object
    claims: list[DueClaim]
    state_label: str
    queue: str
    department: Department  # the claims' department
    office: Department  # the office that must act: the department, finance or 市府办
    role: str  # the role its officials act in

    @property
    def last_day(self) -> date:
        return last_day_of(self.timer.deadline)


def register(cat) -> None:
    applies = lambda state: state.queue in OFFICE_QUEUES  # noqa: E731 — one rule, three kinds
    kinds = (
        (REMIND, remind, timers.working_days_before(DAYS)),
        (AT_DEADLINE, tell_head, timers.at_deadline),
        (SUPERVISE, supervise, timers.working_days_after(DAYS)),
    )
    for name, fire, at in kinds:
        cat.timer(name, fire, at=at, applies=applies, per="department")


# Reading the occasion --------------------------------------------------------------------


def state_spec(workflow: str, name: str):
    """The state's spec in the newest version of the workflow that declares it."""
    for engine in sorted(workflows().values(), key=lambda e: -e.spec.version):
        if engine.spec.name == workflow and name in engine.spec.states:
            return engine.spec.states[name]
    return None


def _office(queue: str, department: Department) -> tuple[Department, str]:
    config_key = OFFICE_OF_QUEUE.get(queue)
    if config_key is None:
        return department, "reviewer"
    code = current_app.config[config_key]
    return db.session.scalar(select(Department).where(Department.code == code)), queue


def due_claims(timer) -> list[DueClaim]:
    """The claims still in the timer's step: its state, department and deadline."""
    rows = db.session.execute(
        select(Claim.id, Claim.number, Enterprise.name, Claim.project_title)
        .join(Enterprise, Enterprise.id == Claim.enterprise_id)
        .where(
            Claim.state == timer.state,
            Claim.department_id == timer.department_id,
            Claim.due_at == timer.deadline,
            Claim.workflow == timer.payload.get("workflow"),
        )
        .order_by(Claim.id)
    )
    return [DueClaim(*row) for row in rows]


def occasion(timer) -> Occasion | None:
    claims = due_claims(timer)
    state = state_spec(timer.payload.get("workflow"), timer.state)
    if not claims or state is None:
        return None
    department = db.session.get(Department, timer.department_id)
    office, role = _office(state.queue, department)
    return Occasion(timer, claims, state.label.zh, state.queue, department, office, role)


# Who is told ---------------------------------------------------------------------------------


def officials(department_id: int | None, role: str, position: str | None = None) -> list[int]:
    query = select(User.id).where(User.active, User.role == role)
    if department_id is not None:
        query = query.where(User.department_id == department_id)
    if position:
        query = query.where(User.position == position)
    return list(db.session.scalars(query.order_by(User.id)))


def _task_holders(occ: Occasion) -> list[int]:
    """The officials of the open review tasks of the claims' latest round in the state."""
    ids = [c.id for c in occ.claims]
    latest = (
        select(ReviewTask.claim_id, func.max(ReviewTask.round).label("round"))
        .where(ReviewTask.claim_id.in_(ids), ReviewTask.state == occ.timer.state)
        .group_by(ReviewTask.claim_id)
        .subquery()
    )
    tasks = db.session.execute(
        select(ReviewTask.assignee_id, ReviewTask.department_id, ReviewTask.role, ReviewTask.step)
        .join(
            latest,
            and_(latest.c.claim_id == ReviewTask.claim_id, latest.c.round == ReviewTask.round),
        )
        .where(ReviewTask.state == occ.timer.state, ReviewTask.status != "done")
        .distinct()
    )
    found: dict[int, None] = {}
    for assignee_id, department_id, role, step in tasks:
        for user_id in [assignee_id] if assignee_id else officials(department_id, role, step):
            found[user_id] = None
    return list(found)


def acting(occ: Occasion) -> list[int]:
    if occ.queue == "department":
        return _task_holders(occ) or officials(occ.department.id, "reviewer")
    return officials(occ.office.id, occ.role)


def heads(occ: Occasion) -> list[int]:
    return officials(occ.office.id, occ.role, "leader") or acting(occ)


def _tell(recipients: list[int], text: wording.Text, now: datetime, notice=None) -> int:
    for user_id in recipients:
        # The inbox only: an official has no channel of its own (e-mail and SMS are the
        # enterprise's choice, approvals/notifications/delivery.py).
        record(user_id, text.subject, text.body, (), at=now, notice=notice)
    return len(recipients)


# The three timers ----------------------------------------------------------------------------


def remind(timer, now: datetime) -> str:
    occ = occasion(timer)
    if occ is None:
        return NOTHING_DUE
    told = _tell(acting(occ), wording.reminder(occ), now)
    return f"reminded {told} officials of {len(occ.claims)} claims"


def tell_head(timer, now: datetime) -> str:
    occ = occasion(timer)
    if occ is None:
        return NOTHING_DUE
    told = _tell(heads(occ), wording.deadline_passed(occ), now)
    return f"told {told} heads of {len(occ.claims)} claims"


def supervise(timer, now: datetime) -> str:
    from approvals.supervision.notice import issue_supervision

    occ = occasion(timer)
    if occ is None:
        return NOTHING_DUE
    supervision, notice = issue_supervision(occ, now)
    told = _tell(officials(occ.office.id, occ.role), wording.supervised(occ, notice), now, notice)
    return f"{notice.number}: {supervision.claim_count} claims, {told} officials told"


def days_overdue(occ: Occasion, now: datetime) -> int:
    return max((now.astimezone(LOCAL).date() - occ.last_day).days, 0)
