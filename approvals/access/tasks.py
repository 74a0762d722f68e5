"""Who may take and decide a review task: the officials of its role, in its department, of
its step's position; or their substitutes (委派); never one who signed another step.

A review task names the role that acts on it, for a department's part the department, and
in a sign-off chain the step, which is the position that signs it (approvals/workflow/
models.py `ReviewTask`). Whether the actor may see the claim is the claim rule's answer
(rules.py); deciding is this rule's alone, so a department asked to review a claim of
another department's clause may decide its task.

Four-eyes (双人把关): the same person never decides two tasks of one claim at different
(state, step), as themselves or as a substitute (the principal and the substitute both
count); a later round of the same state and step is the same stage, prepared again. A move
taken by hand counts as a stage too: the lead department's reviewer who approved a claim for
joint review (an ordinary move out of its state) cannot then sign the joint review's task for
that department; a colleague does.

Acting for someone: while a delegation runs, the substitute may decide the tasks its
principal could. The actor's own right is preferred, then the first running delegation
whose principal may decide the task (`capacity`); its principal is recorded on the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, and_, column, exists, or_, select, table
from sqlalchemy.orm import aliased

from approvals.access.delegation import principals
from approvals.access.roles import POSITION_LABELS, ROLE_LABELS
from approvals.access.rules import ALLOW, Decision
from approvals.extensions import db
from approvals.i18n import N_

if TYPE_CHECKING:
    from approvals.organisations.models import User
    from approvals.workflow.models import ReviewTask

OTHER_DEPARTMENT = N_("该审核任务不属于本部门")
# What each step of a sign-off chain does, named after the position that signs it: pages,
# opinions and refusals call the steps so.
STEP_LABELS = {"case_officer": N_("经办"), "section_chief": N_("审核"), "leader": N_("审批")}
# The audit events, read by name: access knows no claims package (dependencies point one way).
# A task decision is recorded there too, as its own trigger, and is counted as a task.
_EVENTS = table(
    "claim_events", column("claim_id"), column("actor_id"), column("from_state"), column("trigger")
)
_TASK_DECISION = "task_decision"  # approvals/workflow/task_spec.py TASK_DECISION


@dataclass(frozen=True)
class Capacity:
    """In which capacity `actor` may decide a task: `decision` (with its reason); for whom,
    when as a substitute (`principal`); and whether four-eyes alone refused it."""

    decision: Decision
    principal: User | None = None
    four_eyes: bool = False


def _may(person: User, task: ReviewTask) -> Decision:
    """The task's role, department and step, asked of `person` alone."""
    if person.role != task.role:
        label = ROLE_LABELS.get(person.role, person.role)
        return Decision(False, f"当前角色（{label}）不能办理该审核任务")
    if task.department_id is not None and person.department_id != task.department_id:
        return Decision(False, OTHER_DEPARTMENT)
    if task.step and person.position != task.step:
        needed = POSITION_LABELS.get(task.step, task.step)
        return Decision(False, f"该环节（{STEP_LABELS.get(task.step, task.step)}）须由{needed}办理")
    return ALLOW


def _may_clause(person: User, model) -> ColumnElement[bool]:
    """_may() as SQL on `model` (ReviewTask)."""
    return and_(
        model.role == person.role,
        or_(model.department_id.is_(None), model.department_id == person.department_id),
        or_(model.step == "", model.step == person.position),
    )


def _signed_elsewhere(model, people: set[int], claim_id, state, step) -> Select:
    """The decided tasks of the claim at another (state, step) than the one given, signed by
    or for one of `people`. Given columns of `model` it is correlated (SQL); given a task's
    values it finds them (Python): one definition for both."""
    other, signers = aliased(model), sorted(people)
    return select(other).where(
        other.claim_id == claim_id,
        other.status == "done",
        or_(other.state != state, other.step != step),
        or_(other.decided_by_id.in_(signers), other.on_behalf_of_id.in_(signers)),
    )


def _moved_elsewhere(people: set[int], claim_id, state) -> Select:
    """The moves taken by hand on the claim out of another state than `state`, by one of
    `people`: correlated when given columns, a plain query when given values."""
    return select(_EVENTS.c.from_state).where(
        _EVENTS.c.claim_id == claim_id,
        _EVENTS.c.from_state != state,
        _EVENTS.c.trigger != _TASK_DECISION,
        _EVENTS.c.actor_id.in_(sorted(people)),
    )


def _clash(task: ReviewTask, people: set[int]) -> str | None:
    """The stage of the claim one of `people` already acted at, named for the refusal."""
    query = _signed_elsewhere(type(task), people, task.claim_id, task.state, task.step)
    signed = db.session.scalars(query.limit(1)).first()
    if signed is not None:
        return _stage(signed)
    moved = _moved_elsewhere(people, task.claim_id, task.state)
    state = db.session.scalars(moved.limit(1)).first()
    return None if state is None else _state_label(task, state)


def _state_label(task: ReviewTask, state: str) -> str:
    """The state's label in the claim's own workflow version (the claims table, by name)."""
    claims = table("claims", column("id"), column("workflow"), column("workflow_version"))
    name, version = db.session.execute(
        select(claims.c.workflow, claims.c.workflow_version).where(claims.c.id == task.claim_id)
    ).one()
    return _state_namer(name, version, state)


# The workflow package names states (its files' labels) and registers the namer at start-up
# (name_states): access sits below workflow and never imports it.
_state_namer = lambda workflow, version, state: state  # noqa: E731  (until registered)


def name_states(namer) -> None:
    """Register `namer(workflow, version, state) -> label`, which names a stage in a
    refusal."""
    global _state_namer
    _state_namer = namer


def _stage(task: ReviewTask) -> str:
    party = task.department.name if task.department else ROLE_LABELS.get(task.role, task.role)
    return f"{party}{STEP_LABELS.get(task.step, '')}" if task.step else f"{party}审核任务"


def _four_eyes(actor: User, stage: str, task: ReviewTask, principal: User | None) -> Capacity:
    """Refused: the actor, or the principal it would act for, acted at `stage` already."""
    mine = principal is None or _clash(task, {actor.id}) is not None
    who = "您" if mine else principal.display_name or principal.username
    reason = f"{who}已办理该申报的“{stage}”：同一申报的不同环节须由不同的人办理（双人把关）"
    return Capacity(Decision(False, reason), four_eyes=True)


def capacity(actor: User, task: ReviewTask) -> Capacity:
    """Whether and for whom `actor` may decide `task`: their own right first, then each
    official they substitute for today, in the order the delegations were made."""
    own = _may(actor, task)
    refused = Capacity(own)
    if own:
        clash = _clash(task, {actor.id})
        if clash is None:
            return Capacity(ALLOW)
        refused = _four_eyes(actor, clash, task, None)
    for principal in principals(actor):
        if not _may(principal, task):
            continue
        clash = _clash(task, {actor.id, principal.id})
        if clash is None:
            return Capacity(ALLOW, principal)
        if not refused.four_eyes:  # the reason that tells most: four-eyes, not the role
            refused = _four_eyes(actor, clash, task, principal)
    return refused


def can_decide(actor: User, task: ReviewTask) -> Decision:
    return capacity(actor, task).decision


def decidable_clause(actor: User, model: type[ReviewTask]) -> ColumnElement[bool]:
    """SQL condition on `model` (ReviewTask) for the tasks `actor` may decide: can_decide()
    as a WHERE clause, own right or a principal's; the caller names the model, as for
    visible_clause."""
    capacities = [(actor, {actor.id})] + [(p, {actor.id, p.id}) for p in principals(actor)]
    branches = []
    for person, people in capacities:
        elsewhere = _signed_elsewhere(model, people, model.claim_id, model.state, model.step)
        moved = _moved_elsewhere(people, model.claim_id, model.state)
        branches.append(and_(_may_clause(person, model), ~exists(elsewhere), ~exists(moved)))
    return or_(*branches)
