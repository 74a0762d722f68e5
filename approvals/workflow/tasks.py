"""Review tasks: taking one and deciding it, the sibling of advance() (runtime.py).

Both share advance()'s rules in a task's terms: who may act is the task rule's answer
(approvals/access/tasks.py `can_decide`, with its reason); the task's version is the
optimistic lock (409 `stale_version`); a decided task is the record of its decision (who,
when, what and why) and is never changed again (approvals/audit/decided_tasks.py). When a
decision makes the state's completion rule hold, or disagrees where the file names a move
for that, the move fires through the runtime's own `take()` in the same transaction, with
every opinion of the round as its comment: the claim's event, effects and notice are those
of a transition like any other. The claim's row is locked before the round is counted, so
two last decisions at the same moment are counted one after the other and move it once.

Every decision is also an audit event on the claim (trigger TASK_DECISION, the claim staying
in its state, `runtime.record_decision`), written before the move it fires, with the notice
the state's tasks name. In a sign-off chain (approvals/workflow/signoff.py) the first step
gives the values of the move beside its opinion, an agreement opens the next step, and the
party counts for the rule once its last needed step agrees. A substitute's decision (委派)
records the official it acted for on the task and on the event.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from approvals import limits
from approvals.access.tasks import capacity, decidable_clause
from approvals.clock import current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.workflow import rounds, runtime, signoff
from approvals.workflow.models import TASK_DECISIONS, ReviewTask
from approvals.workflow.registry import CATALOG, engine_for
from approvals.workflow.task_spec import TASK_DECISION, TASK_OPINION_FIELD

__all__ = ["TASK_DECISION", "claim_task", "decide", "queue"]

TASK_NOT_VISIBLE = N_("审核任务不存在或无权查看")
TASK_STALE = N_("他人已先办理了该审核任务，请刷新后查看")
REASON_REQUIRED = N_("不同意或退回时请填写理由")
# What the work list may show: awaiting a decision (open or claimed) in a round the claim is
# still in, those of them someone holds, or decided.
QUEUE_STATUSES = ("open", "claimed", "done")
PAGE, MAX_PAGE = 50, 100


def _load(actor, task_id: int) -> tuple[ReviewTask, object, object]:
    """The task, its claim, and whom the actor acts for (None: themselves), or 404 / 403 as
    advance() answers them: an owner learns nothing of other owners' claims; an official is
    told why the task is not theirs (its role, department, step, or four-eyes)."""
    task = db.session.get(ReviewTask, task_id)
    if task is None:
        raise NotFound(TASK_NOT_VISIBLE)
    kind = current_app.extensions[CATALOG].subjects
    subject = kind.load(task.claim_id)
    if kind.sees_only_own(actor) and not kind.can_view(actor, subject):
        raise NotFound(TASK_NOT_VISIBLE)
    acting = capacity(actor, task)
    if not acting.decision:
        raise Forbidden(acting.decision.reason)
    return task, subject, acting.principal


def _still_open(task: ReviewTask, subject) -> None:
    reason = rounds.closed_reason(task, subject)
    if reason is not None:
        raise Conflict(reason, code="task_done" if task.status == "done" else "task_closed")


def _not_held_by_another(actor, task: ReviewTask) -> None:
    if task.assignee_id not in (None, actor.id):
        holder = task.assignee.display_name or task.assignee.username
        raise Conflict(f"该审核任务已由{holder}认领", code="task_claimed")


def _lock(subject) -> None:
    """Hold the claim's row until the transaction ends (FOR UPDATE on PostgreSQL; SQLite's
    single writer orders writers there) and read its state and version afresh."""
    model = type(subject)
    db.session.execute(
        select(model)
        .where(model.id == subject.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def claim_task(actor, task_id: int) -> ReviewTask:
    """Take the task (认领): it is then the actor's to decide; taking one's own again
    changes nothing."""
    task, subject, _principal = _load(actor, task_id)
    _still_open(task, subject)
    _not_held_by_another(actor, task)
    if task.assignee_id == actor.id:
        return task
    with runtime.stale_guard(TASK_STALE), transaction():
        task.assignee_id, task.status = actor.id, "claimed"
    return task


def _decision(decision, opinion) -> tuple[str, str | None]:
    if decision not in TASK_DECISIONS:
        raise Invalid(
            "请选择审核意见：同意、不同意或退回",
            fields={"decision": "应为 agree、disagree 或 return"},
        )
    if opinion is not None and not isinstance(opinion, str):
        raise Invalid("意见应为文字", fields={"opinion": "意见应为文字"})
    text = (opinion or "").strip()
    if decision in rounds.DISAGREEING and not text:
        raise Invalid(REASON_REQUIRED, fields={"opinion": REASON_REQUIRED})
    problem = limits.text_problem(text)
    if len(text) > limits.COMMENT:
        problem = f"意见不能超过{limits.COMMENT}字"
    if problem:
        raise Invalid(problem, fields={"opinion": problem})
    return decision, text or None


def decide(
    actor,
    task_id: int,
    decision,
    opinion,
    *,
    version,
    prepared: dict | None = None,
    now: datetime | None = None,
) -> ReviewTask:
    """Record `actor`'s decision (agree, disagree, return) on the task, with the values a
    chain's first step prepares (`prepared`, by field name), and fire the move the state's
    rule calls for now, if any, in the same transaction."""
    task, subject, principal = _load(actor, task_id)
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid("请提供审核任务的版本号", fields={"version": "请提供版本号"})
    if version != task.version:
        raise Conflict(TASK_STALE, code="stale_version")
    _still_open(task, subject)
    _not_held_by_another(actor, task)
    decision, opinion = _decision(decision, opinion)
    spec = engine_for(subject).spec
    rule = spec.tasks_of(task.state)
    kept = signoff.prepare(spec, rule, task, subject, decision, prepared)
    now = now or current_time()
    with runtime.stale_guard(TASK_STALE), transaction():
        _lock(subject)
        _still_open(task, subject)  # the claim may have moved on while its row was waited for
        task.status, task.decision, task.opinion = "done", decision, opinion
        task.decided_by_id, task.decided_at = actor.id, now
        task.on_behalf_of_id = principal.id if principal is not None else None
        if kept is not None:
            task.prepared = kept
        db.session.flush()  # the task's version check: a second decision of it stops here
        runtime.record_decision(
            actor,
            subject,
            _event_facts(task),
            opinion,
            now,
            notice=rule.notice,
            principal=principal,
        )
        signoff.follow(rule, subject, task, now)
        _fire(actor, subject, spec, rule, task, now)
    return task


def _event_facts(task: ReviewTask) -> dict:
    """The decision event's payload: which task, step and department, what was decided,
    for whom, and what the step prepared."""
    facts = {
        "task_id": task.id,
        "step": task.step,
        "department": task.department.code if task.department else None,
        "decision": task.decision,
        "on_behalf_of": task.on_behalf_of_id,
    }
    if task.prepared is not None:
        facts["prepared"] = task.prepared
    return facts


def _fire(actor, subject, spec, rule, task: ReviewTask, now: datetime) -> None:
    """The move the round calls for now, if any, with every opinion of the round as its
    comment and, completing a chain, the values its first step prepared."""
    tasks = rounds.round_of(task)
    verdicts = [signoff.verdict(rule, subject, part) for part in signoff.parts(rule, tasks)]
    trigger = rounds.outcome(rule, verdicts)
    if trigger is None:
        return
    values = {TASK_OPINION_FIELD: rounds.summary(tasks)}
    if trigger == rule.on_complete and rule.chained:
        prepared = signoff.agreed_prepared(rule, subject, tasks)
        values.update(signoff.values_for_move(spec, rule, task.state, subject, prepared))
    runtime.take(actor, subject, trigger, values, now)


def queue(actor, model, *, status: str = "open", limit: int | None = None, cursor=None):
    """The tasks `actor` may act on (its role's, in its department) or holds, with their
    claims (`model`, named by the caller: the workflow imports no feature), oldest first and
    keyset-paginated on the id: ([(task, claim)], next_cursor)."""
    if status not in QUEUE_STATUSES:
        raise Invalid("status 应为 open、claimed 或 done", fields={"status": "无效"})
    size = min(limit or PAGE, MAX_PAGE)
    query = (
        select(ReviewTask, model)
        .join(model, model.id == ReviewTask.claim_id)
        .where(or_(decidable_clause(actor, ReviewTask), ReviewTask.assignee_id == actor.id))
        .options(
            selectinload(ReviewTask.department),
            selectinload(ReviewTask.assignee),
            selectinload(ReviewTask.decided_by),
            selectinload(ReviewTask.on_behalf_of),
        )
        .order_by(ReviewTask.id)
        .limit(size + 1)
    )
    if status == "done":
        query = query.where(ReviewTask.status == "done")
    else:
        query = query.where(rounds.actionable_clause(model))
    if status == "claimed":
        query = query.where(ReviewTask.status == "claimed")
    if cursor is not None:
        query = query.where(ReviewTask.id > cursor)
    rows = [tuple(row) for row in db.session.execute(query)]
    next_cursor = str(rows[size - 1][0].id) if len(rows) > size else None
    return rows[:size], next_cursor
