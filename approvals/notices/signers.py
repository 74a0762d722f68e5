"""Who signed the review tasks a notice records, read once at issue into its facts (`Signer`).

A move fired by a state's review tasks (its `on_complete` or `on_disagree`) prints the
signatures of the round that fired it: each department's, and within a department each
step of its sign-off chain (经办, 审核, 审批). That round is the latest of the event's
source state with a decision at or before the event; a step decided more than once in it
(prepared again after a return) counts with its latest decision. A 会签意见单 prints the
deciding department's part of its round up to the decision it records.
"""

from __future__ import annotations

from sqlalchemy import func, select

from approvals.access.roles import POSITIONS
from approvals.extensions import db
from approvals.notices.facts import Signer
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import engine_for


def _name(user) -> str:
    return (user.display_name or user.username) if user is not None else ""


def _department_name(task: ReviewTask) -> str:
    from approvals.organisations.naming import full_name

    return full_name(task.department or task.decided_by.department)


def _signer(task: ReviewTask) -> Signer:
    return Signer(
        department=_department_name(task),
        step=task.step or "",
        name=_name(task.decided_by),
        on_behalf_of=_name(task.on_behalf_of),
        decision=task.decision,
        opinion=task.opinion or "",
        signed_at=task.decided_at,
    )


def _step_order(step: str) -> int:
    return POSITIONS.index(step) if step in POSITIONS else len(POSITIONS)


def signers_of(tasks: list[ReviewTask]) -> tuple[Signer, ...]:
    """The signatures of decided `tasks` (one round): departments in the order their tasks
    were opened, a chain's steps in chain order, each step with its latest decision."""
    latest: dict[tuple, ReviewTask] = {}
    for task in sorted(tasks, key=lambda t: (t.decided_at, t.id)):
        latest[(task.department_id, task.role, task.step or "")] = task
    first_opened: dict[tuple, int] = {}
    for task in sorted(tasks, key=lambda t: t.id):
        first_opened.setdefault((task.department_id, task.role), task.id)
    ordered = sorted(
        latest.values(),
        key=lambda t: (first_opened[(t.department_id, t.role)], _step_order(t.step or "")),
    )
    return tuple(_signer(task) for task in ordered)


def _decided(claim_id: int, state: str, up_to):
    return (
        ReviewTask.claim_id == claim_id,
        ReviewTask.state == state,
        ReviewTask.status == "done",
        ReviewTask.decided_at <= up_to,
    )


def round_signers(claim, event) -> tuple[Signer, ...]:
    """The signatures of the round whose decisions fired `event`'s move; () for a move no
    review task fired (taken by hand, by the system, or out of a state without tasks)."""
    rule = engine_for(claim).spec.tasks_of(event.from_state)
    if rule is None or event.trigger not in rule.triggers:
        return ()
    decided = _decided(claim.id, event.from_state, event.at)
    number = db.session.scalar(select(func.max(ReviewTask.round)).where(*decided))
    if number is None:
        return ()
    tasks = db.session.scalars(select(ReviewTask).where(*decided, ReviewTask.round == number))
    return signers_of(list(tasks))


def decision_signers(event) -> tuple[Signer, ...]:
    """For the event of one task's decision (its payload names the task): its department's
    part of the round, up to and including that decision."""
    task_id = (event.payload or {}).get("task_id")
    task = db.session.get(ReviewTask, task_id) if isinstance(task_id, int) else None
    if task is None or task.status != "done":
        raise ValueError(f"event {event.id} records no decided review task")
    tasks = db.session.scalars(
        select(ReviewTask).where(
            *_decided(task.claim_id, task.state, event.at),
            ReviewTask.round == task.round,
            ReviewTask.department_id.is_(None)
            if task.department_id is None
            else ReviewTask.department_id == task.department_id,
            ReviewTask.role == task.role,
        )
    )
    return signers_of(list(tasks))
