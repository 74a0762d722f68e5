"""转办: a department hands a claim declared to it, but within another department's remit, to
that department, with its reason. The claim keeps its number, events, notices and evidence;
only the department that reviews it changes (`claim.transfer`), and the new department's
reviewers see it from then on. The department it left sees it no more: the claim is out of
its remit, and what it did is kept in the claim's events and its 转办告知书.

The move itself is data (`requires = ["transfer_to", "comment"]`, `effects =
["claim.transfer"]` in the workflow file); this module declares the field and the effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import exists, select

from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations.models import Department, User
from approvals.organisations.naming import full_name
from approvals.workflow.fields import Field
from approvals.workflow.spec import Label

FIELD = "transfer_to"
EFFECT = "claim.transfer"
CODE_MAX = 16  # departments.code


@dataclass(frozen=True)
class Choice(Field):
    """A field whose value is one of a list that depends on the claim: the claim page shows
    it as a select of `choices(claim)`, (value, label) pairs; its parser still decides, so
    the API and a forged form hear the same refusals."""

    choices: Callable[[object], list[tuple[str, str]]] | None = None


def _reviewed(department_id):
    """SQL: the department has an active reviewer, who can take the claim on."""
    return exists().where(
        User.department_id == department_id, User.role == "reviewer", User.active.is_(True)
    )


def targets(claim) -> list[tuple[str, str]]:
    """(code, name) of the departments the claim may be transferred to: every department
    with reviewers but the one that has it now."""
    rows = db.session.execute(
        select(Department.code, Department.name)
        .where(Department.id != claim.department_id, _reviewed(Department.id))
        .order_by(Department.id)
    )
    return [(code, name) for code, name in rows]


def _transfer_to(claim, value) -> tuple[str | None, str | None]:
    code = value.strip().upper() if isinstance(value, str) else None
    if value is not None and code is None:
        return None, "转办部门应为部门代码"
    if not code:
        return None, N_("请选择转办的部门")
    department = db.session.scalar(select(Department).where(Department.code == code[:CODE_MAX]))
    if department is None or len(code) > CODE_MAX:
        return None, f"部门“{code[:CODE_MAX]}”不存在"
    if department.id == claim.department_id:
        return None, N_("不能转办给本部门")
    if not db.session.scalar(select(_reviewed(department.id))):
        return None, f"{department.name}没有初审人员，不能转办"
    return department.code, None


TRANSFER_TO = Choice(
    FIELD,
    Label("转办部门", "Transfer to"),
    "text",
    _transfer_to,
    hint=Label(
        "该申报属于其他部门职责范围时，转由该部门初审", "The department whose remit the claim is in"
    ),
    max_length=CODE_MAX,
    choices=targets,
)


def transfer(step) -> None:
    """The `claim.transfer` effect: the claim goes to the department chosen; the event's
    payload records both departments' codes, the notice their names in full."""
    claim = step.subject
    source = db.session.get(Department, claim.department_id)
    target = db.session.scalar(select(Department).where(Department.code == step.values[FIELD]))
    claim.department_id = target.id
    claim.department = target
    step.facts.update(
        {
            "transfer_from": source.code,
            FIELD: target.code,
            # As the timeline names them: the codes are for machines.
            "transfer_from_name": source.name,
            "transfer_to_name": target.name,
        }
    )
    step.notice_facts.update(
        {
            "transfer_from": full_name(source),
            "transfer_to": full_name(target),
            "cc": (full_name(target),),  # the department that takes it over has a copy
        }
    )


def requires_its_field(spec) -> list[tuple[int, str]]:
    """A load-time check: a move that transfers must ask where to."""
    return [
        (t.line, f"'{t.trigger}' names {EFFECT} but does not require {FIELD}")
        for t in spec.transitions
        if EFFECT in t.effects and FIELD not in t.requires
    ]


def register(cat) -> None:
    cat.field(TRANSFER_TO)
    cat.effect(EFFECT, transfer, stage="claim")
    cat.checks.append(requires_its_field)
