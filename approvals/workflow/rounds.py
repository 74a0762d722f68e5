"""A state's review tasks, one round per entry: opened as a claim arrives, counted by the rule.

A move into a state that declares tasks (`[states.<name>.tasks]`, approvals/workflow/
task_spec.py) opens one task per candidate in a new round, inside the move's transaction
(the runtime calls `open_for`); with a sign-off chain, the first step's task of each
(approvals/workflow/signoff.py opens the later ones). Leaving the state closes nothing: a
task can be acted on
only while its claim is in the task's state and its round is that state's latest, so the
undecided tasks of a round the claim has left stay as they were, as history.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import ColumnElement, and_, exists, func, inspect, select
from sqlalchemy.orm import aliased

from approvals.access.roles import POSITION_LABELS, ROLE_LABELS
from approvals.access.tasks import STEP_LABELS
from approvals.errors import Conflict
from approvals.extensions import db
from approvals.i18n import N_
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import CATALOG, engine_for
from approvals.workflow.task_spec import TaskSpec

DECISION_WORDS = {"agree": "同意", "disagree": "不同意", "return": "退回"}
DISAGREEING = ("disagree", "return")
TASK_DONE = N_("该审核任务已办理")
ROUND_LEFT = N_("申报已离开该审核环节，该任务不再办理")


def open_for(step) -> list[ReviewTask]:
    """The tasks of the state `step` moves into, as a new round; none for a move that stays
    in its state or reaches one without tasks. A round that could never complete (no
    candidate, or fewer than the rule needs) refuses the move."""
    spec = step.engine.spec
    rule = spec.tasks_of(step.transition.dest)
    if rule is None or step.source == step.transition.dest:
        return []
    subject, state = step.subject, step.transition.dest
    if rule.candidates:
        source = current_app.extensions[CATALOG].task_sources[rule.candidates]
        candidates = [(department, source.role) for department in source.departments(subject)]
    else:
        candidates = [(None, rule.role)]
    needed = rule.needed(len(candidates))
    if not candidates or needed > len(candidates):
        raise Conflict(
            f"“{spec.label(state)}”需要 {needed or 1} 个部门办理，"
            f"但该申报的政策条款只列出了 {len(candidates)} 个",
            code="too_few_candidates",
        )
    number = latest_round(subject.id, state) + 1
    tasks = [
        ReviewTask(
            claim_id=subject.id,
            state=state,
            round=number,
            department_id=department,
            role=role,
            step=rule.signoff[0] if rule.chained else "",
            status="open",
            created_at=step.now,
        )
        for department, role in candidates
    ]
    db.session.add_all(tasks)
    # A record that keeps its tasks loaded (the door loads them with the record: the
    # notice reads them) reads them afresh next time, new round included.
    if "review_tasks" in inspect(subject).mapper.relationships:
        db.session.expire(subject, ["review_tasks"])
    return tasks


def latest_round(claim_id: int, state: str) -> int:
    """The claim's latest round in `state` (0 before its first)."""
    query = select(func.max(ReviewTask.round)).where(
        ReviewTask.claim_id == claim_id, ReviewTask.state == state
    )
    return db.session.scalar(query) or 0


def closed_reason(task: ReviewTask, subject) -> str | None:
    """Why `task` can no longer be acted on, or None while it can."""
    if task.status == "done":
        return TASK_DONE
    if (
        subject.state != task.state
        or engine_for(subject).spec.tasks_of(task.state) is None
        or task.round != latest_round(task.claim_id, task.state)
    ):
        return ROUND_LEFT
    return None


def actionable_clause(model) -> ColumnElement[bool]:
    """SQL: the task is undecided, its claim (`model`, named by the caller) is in the task's
    state, and no later round of that state exists."""
    later = aliased(ReviewTask)
    return and_(
        ReviewTask.status != "done",
        model.id == ReviewTask.claim_id,
        model.state == ReviewTask.state,
        ~exists().where(
            later.claim_id == ReviewTask.claim_id,
            later.state == ReviewTask.state,
            later.round > ReviewTask.round,
        ),
    )


def round_of(task: ReviewTask) -> list[ReviewTask]:
    """Every task of `task`'s round as the database has it now (read after the claim's row
    lock, so that decisions committed meanwhile are counted)."""
    query = (
        select(ReviewTask)
        .where(
            ReviewTask.claim_id == task.claim_id,
            ReviewTask.state == task.state,
            ReviewTask.round == task.round,
        )
        .order_by(ReviewTask.id)
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(query))


def outcome(rule: TaskSpec, verdicts: list[str | None]) -> str | None:
    """The move the round calls for now, if any, from where each party stands ("agree",
    "disagree", or None while undecided: approvals/workflow/signoff.py `verdict`):
    `on_disagree` at a disagreement or return (when the file names it), else `on_complete`
    once enough parties have agreed."""
    if rule.on_disagree and "disagree" in verdicts:
        return rule.on_disagree
    if verdicts.count("agree") >= rule.needed(len(verdicts)):
        return rule.on_complete
    return None


def _who(task: ReviewTask) -> str:
    party = task.department.name if task.department is not None else None
    party = party or ROLE_LABELS.get(task.role, task.role)
    return f"{party}{STEP_LABELS.get(task.step, '')}" if task.step else party


def _name(user) -> str:
    return user.display_name or user.username


def _signer(task: ReviewTask) -> str:
    """Who signed, in which position for a chain's step, and for whom (代 …)."""
    signer = _name(task.decided_by)
    if task.step:
        signer = f"{POSITION_LABELS.get(task.step, task.step)}：{signer}"
    if task.on_behalf_of is not None:
        signer = f"{signer}，代 {_name(task.on_behalf_of)}"
    return signer


def summary(tasks: list[ReviewTask]) -> str:
    """Every opinion of the round, in the order given, each with its signer (and, in a
    sign-off chain, the step and the signer's position), then who has not yet decided: the
    comment of the move the round fires, so that its event and notice show them all."""
    decided = sorted((t for t in tasks if t.status == "done"), key=lambda t: (t.decided_at, t.id))
    parts = []
    for task in decided:
        words = f"{_who(task)}（{_signer(task)}）{DECISION_WORDS[task.decision]}"
        parts.append(f"{words}：{task.opinion}" if task.opinion else words)
    waiting = [_who(t) for t in tasks if t.status != "done"]
    if waiting:
        parts.append(f"尚未办理：{'、'.join(waiting)}")
    return "会签意见：" + "；".join(parts)
