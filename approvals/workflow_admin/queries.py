"""What the administrator reads about the loaded workflows: claims per version and per
state, and the review tasks awaiting a decision per department, each one GROUP BY.

The states, moves and versions come from the loaded files (approvals/workflow/registry.py),
never from names written here, so a workflow or a state added to a file shows up as is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from approvals.claims.models import Claim
from approvals.errors import Forbidden, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations.models import Department
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import workflows
from approvals.workflow.rounds import actionable_clause
from approvals.workflow.spec import StateSpec, WorkflowSpec

ADMIN_ONLY = N_("只有系统管理员可以查看流程")
NO_SUCH_WORKFLOW = N_("流程不存在")


@dataclass(frozen=True)
class Version:
    spec: WorkflowSpec
    claims: int
    latest: bool  # the version new claims are filed under


@dataclass(frozen=True)
class StateCount:
    spec: StateSpec | None  # None: a state claims are stored in that the file no longer has
    name: str
    claims: int


@dataclass(frozen=True)
class OpenTasks:
    """Review tasks awaiting a decision in one state, for one department (or role)."""

    department: Department | None
    role: str
    state: str
    open: int  # awaiting a decision, held or not
    held: int  # of them, taken by an official (claimed)


@dataclass(frozen=True)
class Overview:
    spec: WorkflowSpec
    versions: list[int]
    states: list[StateCount]
    tasks: list[OpenTasks]

    @property
    def claims(self) -> int:
        return sum(s.claims for s in self.states)


def require_admin(actor) -> None:
    if actor.role != "admin":
        raise Forbidden(ADMIN_ONLY)


def listing(actor) -> list[Version]:
    """Every loaded (workflow, version), by name then version, with its claims."""
    require_admin(actor)
    query = select(Claim.workflow, Claim.workflow_version, func.count()).group_by(
        Claim.workflow, Claim.workflow_version
    )
    counts = {(name, version): n for name, version, n in db.session.execute(query)}
    loaded = workflows()
    newest = {(e.spec.name, e.spec.version) for e in loaded.latest()}
    specs = sorted((e.spec for e in loaded.values()), key=lambda s: (s.name, s.version))
    return [
        Version(s, counts.get((s.name, s.version), 0), (s.name, s.version) in newest) for s in specs
    ]


def overview(actor, name: str, version: int | None = None) -> Overview:
    """One workflow version (the newest without `version`): its claims per state, in the
    file's order, and its open review tasks per department and state."""
    require_admin(actor)
    loaded = workflows()
    try:
        spec = loaded.get(name, version).spec
    except KeyError:
        raise NotFound(NO_SUCH_WORKFLOW) from None
    versions = sorted(e.spec.version for e in loaded.values() if e.spec.name == name)
    return Overview(spec, versions, _state_counts(spec), _open_tasks(spec))


def _of(spec: WorkflowSpec):
    return (Claim.workflow == spec.name, Claim.workflow_version == spec.version)


def _state_counts(spec: WorkflowSpec) -> list[StateCount]:
    query = select(Claim.state, func.count()).where(*_of(spec)).group_by(Claim.state)
    counts = {state: n for state, n in db.session.execute(query)}
    rows = [StateCount(s, s.name, counts.pop(s.name, 0)) for s in spec.states.values()]
    return rows + [StateCount(None, state, n) for state, n in sorted(counts.items())]


def _open_tasks(spec: WorkflowSpec) -> list[OpenTasks]:
    """Tasks as the work lists count them (approvals/workflow/rounds.py): undecided, in a
    round the claim is still in."""
    held = func.sum(case((ReviewTask.status == "claimed", 1), else_=0))
    query = (
        select(ReviewTask.department_id, ReviewTask.role, ReviewTask.state, func.count(), held)
        .join(Claim, Claim.id == ReviewTask.claim_id)
        .where(*_of(spec), actionable_clause(Claim))
        .group_by(ReviewTask.department_id, ReviewTask.role, ReviewTask.state)
    )
    rows = db.session.execute(query).all()
    ids = {row[0] for row in rows if row[0] is not None}
    departments = {
        d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(ids)))
    }
    order = {name: i for i, name in enumerate(spec.states)}
    found = [
        OpenTasks(departments.get(dept), role, state, n, int(n_held or 0))
        for dept, role, state, n, n_held in rows
    ]
    # By department (a role's tasks, outside any, last), then in the file's order of states.
    return sorted(
        found,
        key=lambda t: (
            t.department is None,
            t.department.code if t.department else t.role,
            order.get(t.state, len(order)),
        ),
    )
