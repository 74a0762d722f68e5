"""The claim page's review tasks: the latest round, each sign-off chain's steps with their
signers, and a decision form on each task of it that this viewer may decide now (its
department's and position's, still open, held by no one else); a task that four-eyes keeps
from this viewer says why instead."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from approvals.access import ROLE_LABELS
from approvals.access.roles import POSITION_LABELS
from approvals.access.tasks import STEP_LABELS, capacity
from approvals.claims.forms import TaskDecisionForm, task_form_class
from approvals.errors import NotFound
from approvals.workflow import rounds, signoff
from approvals.workflow.fields import Field
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import catalog, engine_for
from approvals.workflow.tasks import TASK_NOT_VISIBLE


@dataclass(frozen=True)
class TaskRow:
    task: ReviewTask
    form: TaskDecisionForm | None  # None: not this viewer's to decide now
    refusal: str | None = None  # why not, when four-eyes alone keeps it from this viewer
    principal: object = None  # whom this viewer would decide it for (委派)
    # What a first step prepared: (label, value, widget) of each declared field.
    prepared: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        """Who acts on a task no department holds: its role (a message id)."""
        return ROLE_LABELS.get(self.task.role, self.task.role)

    @property
    def step_label(self) -> str:
        """The chain's step (经办, 审核, 审批; a message id), "" outside a chain."""
        return STEP_LABELS.get(self.task.step, "")

    @property
    def position_label(self) -> str:
        """The position that signs the step (a message id); outside a chain, the position of
        the official who decided it (a department's co-signature names who signed for it in
        which capacity), "" while undecided or for an official without one."""
        if self.task.step:
            return POSITION_LABELS.get(self.task.step, "")
        signer = self.task.decided_by
        return POSITION_LABELS.get(signer.position, "") if signer and signer.position else ""


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


def declared_for(claim, task: ReviewTask) -> tuple[Field, ...]:
    """The inputs the task's form asks for beside the decision: on a chain's first step, the
    values of the move the chain fires; none elsewhere."""
    spec = engine_for(claim).spec
    rule = spec.tasks_of(task.state)
    if not signoff.prepares(rule, task):
        return ()
    fields = catalog(current_app).fields
    return tuple(fields[name] for name in signoff.prepared_names(spec, task.state, rule))


def posted_form(claim, task: ReviewTask) -> TaskDecisionForm:
    """The task's decision as posted, with the inputs its step asks for."""
    return task_form_class(declared_for(claim, task))()


def _prepared_last(claim, task: ReviewTask) -> dict:
    """What the task's party prepared last in its round: a chain sent back to its first step
    is prepared again from there."""
    where = (task.state, task.round, task.department_id, task.role)
    mine = [
        t
        for t in claim.review_tasks
        if t.prepared and (t.state, t.round, t.department_id, t.role) == where
    ]
    return max(mine, key=lambda t: t.id).prepared if mine else {}


def _blank_form(claim, task: ReviewTask) -> TaskDecisionForm:
    form_class = task_form_class(declared_for(claim, task))
    earlier = _prepared_last(claim, task) if form_class.declared else {}
    data = {
        spec.name: earlier.get(spec.name) or spec.initial(claim) for spec in form_class.declared
    }
    return form_class(formdata=None, data=data)


def _prepared_shown(claim, task: ReviewTask) -> list[tuple[object, str, str]]:
    """What a first step prepared, on its own row (the later steps sign the same)."""
    if not task.prepared or not signoff.prepares(engine_for(claim).spec.tasks_of(task.state), task):
        return []
    fields = catalog(current_app).fields
    return [
        (fields[name].label, value, fields[name].widget)
        for name, value in task.prepared.items()
        if name in fields and value not in (None, "")
    ]


def tasks_context(actor, claim, posted: tuple[int, TaskDecisionForm] | None = None) -> dict:
    """`task_rows` of the latest round; `unsent_task_opinion`: what was typed on a posted
    form whose task can no longer be decided (someone else decided it, the claim moved)."""
    posted_id, sent = posted or (None, None)
    rows = []
    for task in latest_round(claim):
        form = refusal = principal = None
        if task.assignee_id in (None, actor.id) and rounds.closed_reason(task, claim) is None:
            acting = capacity(actor, task)
            if acting.decision:
                form = sent if task.id == posted_id else None
                form = form or _blank_form(claim, task)
                form.version.data = (
                    task.version
                )  # a refused decision is retried on the task as it is
                principal = acting.principal
            elif acting.four_eyes:
                refusal = acting.decision.reason
        rows.append(TaskRow(task, form, refusal, principal, _prepared_shown(claim, task)))
    shown = {row.task.id for row in rows if row.form is not None}
    unsent = sent.opinion.data if sent and posted_id not in shown else None
    return {"task_rows": rows, "unsent_task_opinion": unsent}
