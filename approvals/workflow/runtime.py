"""The one door: `advance()` is the only way a record changes state.

In one transaction: access (may this actor take this move on this record?) → fields (the
values the move requires, parsed by their declarations) → guards and fire (the record's
machine) → version check (a stale write fails with a clear conflict) → the audit event →
the move's effects, in the order the workflow file names them, and its notice last.
Effects are registered by the features (`catalog(app).effect(...)`); the runtime names none.
A move into a state that declares review tasks opens them (approvals/workflow/rounds.py);
the moves those tasks fire are taken by deciding them (approvals/workflow/tasks.py), which
shares `take()` with advance(), never by advance() itself; each decision is an audit event
of its own (`record_decision`), the record staying where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy.orm.exc import StaleDataError

from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.workflow import fields as transition_fields
from approvals.workflow import rounds
from approvals.workflow.engine import Engine, GuardFailed, IllegalTransition
from approvals.workflow.guards import GuardContext
from approvals.workflow.registry import CATALOG, Catalog, engine_for
from approvals.workflow.spec import Label, TransitionSpec
from approvals.workflow.task_spec import TASK_DECISION

NOT_VISIBLE = N_("申报不存在或无权查看")
STALE = N_("他人已先处理了该申报，请刷新后查看")
DECISION_LABEL = Label(zh="办理审核任务", en="Review task decision")


@dataclass
class Step:
    """One move in progress, as the effects see it."""

    subject: object
    actor: object
    engine: Engine
    transition: TransitionSpec
    source: str
    values: dict  # the required fields, parsed
    now: datetime
    today: object
    event: object = None  # set once the audit event is written
    facts: dict = field(default_factory=dict)  # what the fields' appliers add to the payload
    notice_facts: dict = field(default_factory=dict)  # what the effects add to the notice
    on_behalf_of: object = None  # the official a substitute acted for (委派), if any


class stale_guard:
    """Turn a lost optimistic-lock race into a clear 409 instead of a server error."""

    def __init__(self, message: str = STALE):
        self.message = message

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, StaleDataError):
            raise Conflict(self.message, code="stale_version") from exc
        return False


def _catalog() -> Catalog:
    return current_app.extensions[CATALOG]


def available_transitions(actor, subject) -> list[TransitionSpec]:
    """The moves `actor` may offer on `subject` now (one per trigger, the branch that fits
    the subject's kind: approvals/workflow/engine.py `offered_from`)."""
    kind = _catalog().subjects
    engine = engine_for(subject)
    by_tasks = engine.spec.fired_by_tasks(subject.state)
    ctx = GuardContext(today=current_time().astimezone(LOCAL).date())
    return [
        t
        for t in engine.offered_from(subject, ctx)
        if t.trigger not in by_tasks and kind.can_fire(actor, subject, t)
    ]


def advance(
    actor, subject_id: int, trigger: str, *, version, now: datetime | None = None, **payload
):
    """Fire `trigger` on the record for `actor`: permission, fields, guards, version check,
    audit event, effects and notice, all in one transaction. `now` defaults to the
    application's clock."""
    cat = _catalog()
    kind = cat.subjects
    subject = kind.load(subject_id)
    if subject is None or (kind.sees_only_own(actor) and not kind.can_view(actor, subject)):
        raise NotFound(NOT_VISIBLE)
    engine = engine_for(subject)
    spec = engine.spec
    if trigger not in spec.triggers:
        # No move named: nothing to be refused for, so a record this actor may not see
        # stays unseen (404) before the request is called malformed.
        if not kind.can_view(actor, subject):
            raise NotFound(NOT_VISIBLE)
        raise Invalid(f"未知操作：{trigger}", fields={"trigger": "未知操作"})
    # Officials learn first whether the move is theirs at all (role, then scope); only
    # then whether this record is one they may see, and whether its state allows it.
    decision = kind.can_fire(actor, subject, spec.first(trigger))
    if not decision:
        raise Forbidden(decision.reason)
    # An actor that sees no record (the system) reaches one only for a move given to it.
    if not (kind.can_view(actor, subject) or actor.role in spec.first(trigger).roles):
        raise NotFound(NOT_VISIBLE)
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid("请提供申报的版本号", fields={"version": "请提供版本号"})
    if version != subject.version:
        raise Conflict(STALE, code="stale_version")
    candidates = spec.candidates(trigger, subject.state)
    if not candidates:
        raise Conflict(
            f"申报当前状态为“{spec.label(subject.state)}”，不能执行该操作",
            code="illegal_transition",
        )
    if trigger in spec.fired_by_tasks(subject.state):
        raise Conflict(
            f"“{spec.label(subject.state)}”由审核任务决定，请办理审核任务", code="decided_by_tasks"
        )
    values, errors = transition_fields.validate(
        cat.fields, subject, candidates[0].requires, payload
    )
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    with stale_guard(), transaction():
        take(actor, subject, trigger, values, now or current_time())
    return subject


def take(actor, subject, trigger: str, values: dict, now: datetime) -> Step:
    """The move itself, inside the caller's transaction, once who may take it and the values
    it carries are settled: guards and fire, what the move writes (and the tasks of the state
    it enters), the version check, the audit event, effects and notice."""
    cat = _catalog()
    engine = engine_for(subject)
    today = now.astimezone(LOCAL).date()
    source = subject.state
    # What the move writes on the record goes out in one UPDATE at the flush below: a read
    # on the way (a guard's, the calendar's) must not flush a half-made move first, which
    # cost an UPDATE and a version number each.
    with db.session.no_autoflush:
        try:
            taken = engine.fire(subject, trigger, GuardContext(today=today))
        except IllegalTransition as exc:
            raise Conflict(str(exc), code="illegal_transition") from exc
        except GuardFailed as exc:
            raise Invalid(str(exc), code="condition_failed", fields=exc.reasons) from exc
        step = Step(subject, actor, engine, taken, source, values, now, today)
        _apply(cat, step)
        rounds.open_for(step)
    # The record's kind writes the record and its event (the version check first), before
    # an effect locks a budget or a notice takes a number.
    step.event = cat.subjects.record(step)
    for name in taken.effects:
        effect = cat.effects[name]
        if effect.run is not None and effect.stage == "record":
            effect.run(step)
    if taken.notice:
        cat.effects["notice.issue"].run(step)
    return step


def record_decision(
    actor, subject, facts: dict, opinion: str | None, now: datetime, *, notice=None, principal=None
) -> Step:
    """A review task's decision as the record's audit event, inside the caller's transaction:
    trigger TASK_DECISION from the record's state to the same, the opinion as its comment,
    `facts` (which task, which step, what was decided and prepared) as its payload; and the
    notice of kind `notice`, if the state's tasks name one, issued as a move's is."""
    cat = _catalog()
    state = subject.state
    decided = TransitionSpec(
        trigger=TASK_DECISION,
        sources=(state,),
        dest=state,
        roles=(actor.role,),
        label=DECISION_LABEL,
        notice=notice,
    )
    today = now.astimezone(LOCAL).date()
    values = {"comment": opinion} if opinion else {}
    engine = engine_for(subject)
    step = Step(subject, actor, engine, decided, state, values, now, today, on_behalf_of=principal)
    step.facts.update(facts)
    step.event = cat.subjects.record(step)
    if notice:
        cat.effects["notice.issue"].run(step)
    return step


def _apply(cat: Catalog, step: Step) -> None:
    """What the move writes on the record before its event: the fields' values, the
    effects that change the record, and what the record's kind keeps on every move."""
    subject, taken = step.subject, step.transition
    for name, value in step.values.items():
        applier = cat.fields[name].apply
        if applier is not None:
            step.facts.update(applier(subject, value, step.today) or {})
    for name in taken.effects:
        effect = cat.effects[name]
        if effect.run is not None and effect.stage == "claim":
            effect.run(step)
    cat.subjects.arrive(step)
