"""Sign-off chains (按节点逐项签字把关): a party's part in a state's tasks, signed step by step.

`signoff = ["case_officer", "section_chief", "leader"]` in a state's tasks table makes each
party's part (a candidate department's, or a role's) a chain of tasks in one round, one per
step, each decided by an official of that position (approvals/access/tasks.py):

- the round opens the first step's task (经办). Its official decides with the values of the
  move the chain fires (the `on_complete` move's required fields but the opinion, parsed by
  their declarations): they are kept on the task (`prepared`) and carried to each later step;
- agreeing opens the next needed step's task (审核, then 审批); a step named in
  `above_threshold` is needed only when a prepared amount exceeds the record's threshold
  (the policy's `signoff_threshold`, through the catalog's `Subjects` hook);
- a later step's disagreement or return sends the chain back to a new first-step task in
  the same round; the first step's is the party's, and fires `on_disagree` as any task's;
- the party agrees, for the completion rule, when its last needed step agrees.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import current_app

from approvals.errors import Invalid
from approvals.extensions import db
from approvals.i18n import N_
from approvals.money import fmt
from approvals.workflow import fields as transition_fields
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import CATALOG
from approvals.workflow.rounds import DISAGREEING
from approvals.workflow.spec import WorkflowSpec
from approvals.workflow.task_spec import TASK_OPINION_FIELD, TaskSpec

AGREE, DISAGREE = "agree", "disagree"  # where a party stands (`verdict`)
NOT_PREPARED_HERE = N_("该环节不填写拟办事项，由经办人填写")


def prepared_names(spec: WorkflowSpec, state: str, rule: TaskSpec) -> tuple[str, ...]:
    """The fields the first step prepares: those the `on_complete` move requires but the
    opinion, which is the round's (its first declaration's, as advance() reads them)."""
    moves = spec.candidates(rule.on_complete, state)
    if not rule.chained or not moves:
        return ()
    return tuple(name for name in moves[0].requires if name != TASK_OPINION_FIELD)


def prepares(rule: TaskSpec | None, task: ReviewTask) -> bool:
    """Whether `task` is a chain's first step, the one that prepares the values."""
    return rule is not None and rule.chained and task.step == rule.signoff[0]


def _catalog():
    return current_app.extensions[CATALOG]


def _stored(value):
    """A clean value as the task keeps it (JSON): amounts with two places, dates in ISO."""
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _parse(subject, names: tuple[str, ...], given: dict) -> dict:
    values, errors = transition_fields.validate(
        _catalog().fields, subject, names, {name: given.get(name) for name in names}
    )
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    return values


def prepare(spec, rule: TaskSpec, task: ReviewTask, subject, decision: str, given: dict):
    """What `task`'s decision keeps as prepared: on a first step's agreement the values given
    for the move the chain fires, checked by their fields (422 naming each wrong one); None
    otherwise. A later step may not give them: it signs what was prepared."""
    names = prepared_names(spec, task.state, rule) if rule.chained else ()
    given = {name: value for name, value in (given or {}).items() if value not in (None, "")}
    if not prepares(rule, task):
        wrong = {name: NOT_PREPARED_HERE for name in given if name in names}
        if wrong:
            raise Invalid(NOT_PREPARED_HERE, fields=wrong)
        return None
    if decision in DISAGREEING:
        return None  # nothing goes on: the party disagrees
    return {name: _stored(value) for name, value in _parse(subject, names, given).items()}


def values_for_move(spec, rule: TaskSpec, state: str, subject, prepared: dict | None) -> dict:
    """The prepared values parsed again for the move (its appliers take clean values)."""
    return _parse(subject, prepared_names(spec, state, rule), prepared or {})


def needed_steps(rule: TaskSpec, subject, prepared: dict | None) -> tuple[str, ...]:
    """The chain's steps this part needs: all of them above the threshold, else those not
    named in `above_threshold` (no threshold, or no amount prepared: not above it)."""
    return tuple(
        s for s in rule.signoff if s not in rule.above_threshold or _above(subject, prepared)
    )


def _above(subject, prepared: dict | None) -> bool:
    cat = _catalog()
    threshold = cat.subjects.signoff_threshold(subject)
    if threshold is None or not prepared:
        return False
    amounts = [
        Decimal(str(value))
        for name, value in prepared.items()
        if name in cat.fields and cat.fields[name].widget == "amount" and value is not None
    ]
    return any(amount > threshold for amount in amounts)


def parts(rule: TaskSpec, tasks: list[ReviewTask]) -> list[list[ReviewTask]]:
    """The round's tasks by party, in the order the parties were opened: each task its own
    party without a chain; a chain's tasks (its steps, and the steps prepared again) one."""
    ordered = sorted(tasks, key=lambda t: t.id)
    if not rule.chained:
        return [[task] for task in ordered]
    by_party: dict[tuple, list[ReviewTask]] = {}
    for task in ordered:
        by_party.setdefault((task.department_id, task.role), []).append(task)
    return list(by_party.values())


def verdict(rule: TaskSpec, subject, part: list[ReviewTask]) -> str | None:
    """Where one party stands: AGREE, DISAGREE, or None while it has yet to decide."""
    last = part[-1]
    if last.status != "done":
        return None
    if last.decision in DISAGREEING:
        # A later step's disagreement sent the chain back: the party has yet to decide.
        return DISAGREE if not rule.chained or last.step == rule.signoff[0] else None
    if not rule.chained or last.step == needed_steps(rule, subject, last.prepared)[-1]:
        return AGREE
    return None


def follow(rule: TaskSpec, subject, task: ReviewTask, now: datetime) -> ReviewTask | None:
    """The task a chain's decision opens: the next needed step after an agreement (carrying
    what was prepared), a new first step after a later step's disagreement; None when the
    decision ends the party's part, or outside a chain."""
    if not rule.chained:
        return None
    if task.decision in DISAGREEING:
        if task.step == rule.signoff[0]:
            return None
        step, prepared = rule.signoff[0], None
    else:
        after = rule.signoff.index(task.step)
        later = [
            s for s in needed_steps(rule, subject, task.prepared) if rule.signoff.index(s) > after
        ]
        if not later:
            return None
        step, prepared = later[0], task.prepared
    opened = ReviewTask(
        claim_id=task.claim_id,
        state=task.state,
        round=task.round,
        department_id=task.department_id,
        role=task.role,
        step=step,
        prepared=prepared,
        status="open",
        created_at=now,
    )
    db.session.add(opened)
    return opened


def agreed_prepared(rule: TaskSpec, subject, tasks: list[ReviewTask]) -> dict | None:
    """The values the move fires with: those of the first party, in the candidates' order,
    whose chain agreed (several departments each prepare their own; the lead's counts)."""
    for part in parts(rule, tasks):
        if verdict(rule, subject, part) == AGREE:
            return part[-1].prepared
    return None
