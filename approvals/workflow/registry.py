"""What the workflow files may name, filled in by the features, and the loaded workflows.

Each feature registers its guards, fields and effects in its `init_app(app)` on the app's
catalog; `approvals.workflow.init_app(app)` runs last and loads every file, refusing one
that names something nobody registered. Workflows are keyed by (name, version): a claim
runs on the version it was filed under (`Workflows.engine_for(claim)`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from approvals.workflow.deadlines import RULES
from approvals.workflow.engine import Engine
from approvals.workflow.fields import Field
from approvals.workflow.guards import Guard, GuardContext
from approvals.workflow.spec import TransitionSpec, WorkflowError, parse, validate

CATALOG = "approvals.catalog"
WORKFLOWS = "approvals.workflows"


@dataclass(frozen=True)
class Effect:
    """A named side effect of a move. `stage` "claim" runs before the audit event is
    written (it changes the claim, which the event's snapshot records); "record" runs after
    it (it writes rows that point at the event); a marker with no `run` only tells the pages
    something about the move (offered in bulk, taken in a batch, confirmed first)."""

    name: str
    run: Callable | None = None
    stage: str = "record"


@dataclass(frozen=True)
class TaskSource:
    """Where a state's review tasks go (`candidates = "<name>"` in the workflow file): the
    departments `departments(record)` lists, in order, one task each, for their `role`."""

    name: str
    departments: Callable[[object], list[int]]
    role: str


@dataclass(frozen=True)
class Subjects:
    """How the runtime reaches the records of one kind: registered by the feature that owns
    them (claims), so that the runtime imports no feature."""

    load: Callable[[int], object]  # the record by id, or None
    can_view: Callable[[object, object], bool]
    can_fire: Callable[[object, object, TransitionSpec], object]  # a Decision (truthy, reason)
    arrive: Callable  # (step) writes what every move keeps: queues reached, deadline, decided
    record: Callable  # (step) writes and returns the audit event
    sees_only_own: Callable[[object], bool]  # an owner (enterprise) learns nothing of others
    # The amount above which a sign-off chain needs its `above_threshold` steps (None: never).
    signoff_threshold: Callable[[object], object] = lambda record: None


@dataclass
class Catalog:
    roles: set[str] = field(default_factory=set)
    notices: set[str] = field(default_factory=set)
    guards: dict[str, Guard] = field(default_factory=dict)
    fields: dict[str, Field] = field(default_factory=dict)
    effects: dict[str, Effect] = field(default_factory=dict)
    task_sources: dict[str, TaskSource] = field(default_factory=dict)
    subjects: Subjects | None = None
    # Load-time checks a feature adds: check(spec) -> [(line, problem)]
    checks: list[Callable] = field(default_factory=list)
    timers: dict[str, object] = field(default_factory=dict)  # name → timers.TimerKind

    def guard(
        self,
        name: str,
        explain: Callable[[object, GuardContext], str],
        on="claim",
        *,
        routing: bool = False,
    ):
        """Decorator: register `check(claim, ctx) -> bool` as the guard `name`; `routing`
        for a fact of the claim's kind (approvals/workflow/guards.py Guard.routing)."""

        def register(check):
            self._unique(self.guards, name, "guard")
            self.guards[name] = Guard(name, check, explain, on, routing)
            return check

        return register

    def field(self, spec: Field) -> None:
        self._unique(self.fields, spec.name, "field")
        self.fields[spec.name] = spec

    def effect(self, name: str, run: Callable | None = None, *, stage: str = "record") -> None:
        if stage not in ("claim", "record"):
            raise ValueError(f"effect '{name}': unknown stage '{stage}'")
        self._unique(self.effects, name, "effect")
        self.effects[name] = Effect(name, run, stage)

    def timer(self, name: str, fire: Callable, *, at=None, applies=None, per="claim") -> None:
        """Register a kind of timer (approvals/workflow/timers.py): `fire(timer, now)` does
        its work in the transaction that marks it fired; with `at`, a step timer scheduled
        as a claim enters a state with a deadline that `applies(state)` accepts."""
        from approvals.workflow.timers import TimerKind

        if per not in ("claim", "department"):
            raise ValueError(f"timer '{name}': per must be 'claim' or 'department'")
        self._unique(self.timers, name, "timer")
        self.timers[name] = TimerKind(name, fire, at, applies or (lambda state: True), per)

    def task_source(self, name: str, departments: Callable, *, role: str) -> None:
        self._unique(self.task_sources, name, "task source")
        self.task_sources[name] = TaskSource(name, departments, role)

    @staticmethod
    def _unique(table: dict, name: str, kind: str) -> None:
        if name in table:
            raise ValueError(f"{kind} '{name}' is registered twice")


def catalog(app: Flask) -> Catalog:
    """The app's catalog, created on first use by the first feature that registers."""
    return app.extensions.setdefault(CATALOG, Catalog())


class Workflows:
    """Every loaded (name, version); the newest version of a name is the one new claims use."""

    def __init__(self, engines: dict[tuple[str, int], Engine]):
        self._engines = engines
        self._latest = {}
        for (name, _version), engine in sorted(engines.items()):
            self._latest[name] = engine

    def get(self, name: str, version: int | None = None) -> Engine:
        if version is None:
            return self._latest[name]
        return self._engines[(name, version)]

    def engine_for(self, claim) -> Engine:
        return self.get(claim.workflow, claim.workflow_version)

    def latest(self) -> list[Engine]:
        return list(self._latest.values())

    def values(self) -> Iterator[Engine]:
        return iter(self._engines.values())

    def __contains__(self, key) -> bool:
        return key in self._engines or key in self._latest


def workflows() -> Workflows:
    return current_app.extensions[WORKFLOWS]


def engine_for(claim) -> Engine:
    """The engine of the workflow version `claim` was filed under."""
    return workflows().engine_for(claim)


def is_tagged(record, *tags: str) -> bool:
    """Whether the record's state carries any of `tags` in its own workflow version."""
    spec = engine_for(record).spec
    return any(spec.has_tag(record.state, tag) for tag in tags)


def tagged_clause(model, *tags: str):
    """SQL: `model`'s state carries any of `tags` in its own workflow version; one branch
    per loaded (workflow, version), since a state's tags belong to its version."""
    from sqlalchemy import and_, false, or_

    branches = [
        and_(
            model.workflow == engine.spec.name,
            model.workflow_version == engine.spec.version,
            model.state.in_(states),
        )
        for engine in workflows().values()
        if (states := engine.spec.states_tagged(*tags))
    ]
    return or_(*branches) if branches else false()


_VERSION_FILE = re.compile(r"^v(\d+)\.toml$")


def load_file(path: str | Path, cat: Catalog) -> Engine:
    path = Path(path)
    spec = parse(path)
    match = _VERSION_FILE.match(path.name)
    if match and int(match.group(1)) != spec.version:
        raise WorkflowError(f"{path}: the file says version = {spec.version}")
    if match and path.parent.name != spec.name:
        raise WorkflowError(f"{path}: the folder is not named after the workflow '{spec.name}'")
    validate(
        spec,
        path.read_text(encoding="utf-8"),
        roles=cat.roles,
        guards=set(cat.guards),
        notices=cat.notices,
        fields=set(cat.fields),
        deadlines=set(RULES),
        effects=set(cat.effects),
        task_sources=set(cat.task_sources),
    )
    for check in cat.checks:
        for line, problem in check(spec):
            raise WorkflowError(f"{path}:{line}: {problem}")
    return Engine(spec, cat.guards)


def load_all(directory: str | Path, cat: Catalog) -> Workflows:
    """`workflows/<name>/v<N>.toml`, one folder per workflow, one file per version."""
    engines: dict[tuple[str, int], Engine] = {}
    for path in sorted(Path(directory).glob("*/v*.toml")):
        engine = load_file(path, cat)
        engines[(engine.spec.name, engine.spec.version)] = engine
    if not engines:
        raise WorkflowError(f"{directory}: no workflow definitions found (<name>/v<N>.toml)")
    return Workflows(engines)
