"""The claim page's review tasks: the latest round, and a decision form on each task of it
that this viewer may decide now (its department's, still open, held by no one else)."""

from __future__ import annotations

from dataclasses import dataclass

from approvals.access import ROLE_LABELS, can_decide
from approvals.claims.forms import TaskDecisionForm
from approvals.errors import NotFound
from approvals.workflow import rounds
from approvals.workflow.models import ReviewTask
from approvals.workflow.tasks import TASK_NOT_VISIBLE


@dataclass(frozen=True)
class TaskRow:
    task: ReviewTask
    form: TaskDecisionForm | None  # None: not this viewer's to decide now

    @property
    def role_label(self) -> str:
        """Who acts on a task no department holds: its role (a message id)."""
        return ROLE_LABELS.get(self.task.role, self.task.role)


def task_of(claim, task_id: int) -> ReviewTask:
    """One of the claim's tasks, or 404 (a task of another claim is not found here)."""
    task = next((t for t in claim.review_tasks if t.id == task_id), None)
    if task is None:
        raise NotFound(TASK_NOT_VISIBLE)
    return task


def latest_round(claim) -> list[ReviewTask]:
    """The tasks of the round opened last: the one the claim is in while it is in a state
    with tasks, else the one it left last (its opinions stay readable on the page)."""
    if not claim.review_tasks:
        return []
    last = max(claim.review_tasks, key=lambda t: t.id)
    return [t for t in claim.review_tasks if (t.state, t.round) == (last.state, last.round)]


def decidable_now(actor, task: ReviewTask, claim) -> bool:
    return (
        bool(can_decide(actor, task))
        and task.assignee_id in (None, actor.id)
        and rounds.closed_reason(task, claim) is None
    )


def tasks_context(actor, claim, posted: tuple[int, TaskDecisionForm] | None = None) -> dict:
    """`task_rows` of the latest round; `unsent_task_opinion`: what was typed on a posted
    form whose task can no longer be decided (someone else decided it, the claim moved)."""
    posted_id, posted_form = posted or (None, None)
    rows = []
    for task in latest_round(claim):
        form = None
        if decidable_now(actor, task, claim):
            form = posted_form if task.id == posted_id else None
            form = form or TaskDecisionForm(formdata=None)
            form.version.data = task.version  # a refused decision is retried on the task as it is
        rows.append(TaskRow(task, form))
    shown = {row.task.id for row in rows if row.form is not None}
    unsent = posted_form.opinion.data if posted_form and posted_id not in shown else None
    return {"task_rows": rows, "unsent_task_opinion": unsent}
