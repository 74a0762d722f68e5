"""Workflow definitions: TOML parsed into frozen dataclasses, then validated."""

from __future__ import annotations

import re
import tomllib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from approvals.workflow.deadlines import Period, read_rule
from approvals.workflow.task_spec import RESERVED_TRIGGERS, TaskSpec, read_tasks, task_problems

QUEUES = ("enterprise", "department", "finance", "government")

# What a state means to the features that read the spec (`states_tagged(...)`), so that
# none of them names a state. A workflow tags its own states; the words are shared.
TAGS = {
    "unsubmitted": "not yet filed: only the enterprise sees it",
    "editable": "the enterprise may change the claim and its evidence",
    "awaiting_supplement": "returned to the enterprise for supplement (补正)",
    "holds_budget": "an approved amount is reserved on the budget",
    "payable": "approved and waiting for payout",
    "approved": "passed every approval (paid or not)",
    "paid": "money has left the budget for this claim",
    "in_recovery": "money paid is being recovered",
    "recovered": "a recovery closed with everything repaid",
    "written_off": "a recovery closed with the rest written off",
    "given_up": "the enterprise withdrew or let the claim lapse",
    "refused": "an official decided not to support it",
}


class WorkflowError(Exception):
    """A definition that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Label:
    zh: str
    en: str


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: Label
    queue: str | None = None
    deadline: str | None = None  # a named calendar rule (deadlines.RULES)
    period: Period | None = None  # or a period counted from entering the state
    on_deadline: str | None = None  # the system's move when the deadline passes (timers.py)
    final: bool = False
    tags: frozenset[str] = frozenset()
    tasks: TaskSpec | None = None
    line: int = 0

    @property
    def deadline_rule(self) -> str | None:
        """The deadline as the file writes it: a rule's name, `working_days = n`, `months = n`."""
        if self.period is None:
            return self.deadline
        if self.period.working_days is not None:
            return f"working_days = {self.period.working_days}"
        return f"months = {self.period.months}"


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    label: Label
    conditions: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    notice: str | None = None
    effects: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    version: int
    initial: str
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    path: str = ""
    triggers: tuple[str, ...] = field(default=())
    # For claims filed under an older version: old version → {old state: new state}.
    migrate_from: dict[int, dict[str, str]] = field(default_factory=dict)

    def states_tagged(self, *tags: str) -> tuple[str, ...]:
        """The states carrying any of `tags`, in file order."""
        return tuple(s.name for s in self.states.values() if s.tags & set(tags))

    def has_tag(self, state: str, tag: str) -> bool:
        spec = self.states.get(state)
        return spec is not None and tag in spec.tags

    def with_effect(self, effect: str) -> tuple[TransitionSpec, ...]:
        """The transitions naming `effect`, one per trigger."""
        seen: dict[str, TransitionSpec] = {}
        for t in self.transitions:
            if effect in t.effects:
                seen.setdefault(t.trigger, t)
        return tuple(seen.values())

    def candidates(self, trigger: str, source: str) -> list[TransitionSpec]:
        """The transitions `trigger` may take from `source`, in file order (branches)."""
        return [t for t in self.transitions if t.trigger == trigger and source in t.sources]

    def from_state(self, source: str) -> list[TransitionSpec]:
        return [t for t in self.transitions if source in t.sources]

    def tasks_of(self, state: str) -> TaskSpec | None:
        """The review tasks `state` declares, if any."""
        spec = self.states.get(state)
        return spec.tasks if spec is not None else None

    def fired_by_tasks(self, state: str) -> tuple[str, ...]:
        """The triggers from `state` that its review tasks fire (none without tasks)."""
        tasks = self.tasks_of(state)
        return tasks.triggers if tasks is not None else ()

    def first(self, trigger: str) -> TransitionSpec:
        """The first declaration of `trigger`: its roles stand for every branch."""
        return next(t for t in self.transitions if t.trigger == trigger)

    def label(self, state: str, lang: str = "zh") -> str:
        spec = self.states.get(state)
        return getattr(spec.label, lang) if spec else state


def _label(raw, default: str) -> Label:
    if isinstance(raw, dict):
        return Label(zh=str(raw.get("zh", default)), en=str(raw.get("en", default)))
    return Label(zh=default, en=default)


def _tuple(raw) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(x) for x in raw)


def _transition_lines(text: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == "[[transitions]]"]


def _line_of(text: str, pattern: str) -> int:
    for i, line in enumerate(text.splitlines(), start=1):
        if re.search(pattern, line):
            return i
    return 0


def parse(path: str | Path) -> WorkflowSpec:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkflowError(f"{path}: not valid TOML: {exc}") from exc
    for key in ("name", "initial", "states", "transitions"):
        if key not in raw:
            raise WorkflowError(f"{path}: missing top-level key '{key}'")
    states = {}
    for name, body in raw["states"].items():
        line = _line_of(text, rf"^\[states\.{re.escape(name)}\]")
        try:
            deadline, period = read_rule(body.get("deadline"))
        except ValueError as exc:
            raise WorkflowError(f"{path}:{line}: state '{name}': {exc}") from exc
        states[name] = StateSpec(
            name=name,
            label=_label(body.get("label"), name),
            queue=body.get("queue"),
            deadline=deadline,
            period=period,
            on_deadline=body.get("on_deadline"),
            final=bool(body.get("final", False)),
            tags=frozenset(_tuple(body.get("tags"))),
            tasks=_tasks(path, text, name, body.get("tasks")),
            line=line,
        )
    lines = _transition_lines(text)
    transitions = []
    for i, body in enumerate(raw["transitions"]):
        line = lines[i] if i < len(lines) else 0
        unknown = set(body) - {
            "trigger",
            "source",
            "dest",
            "roles",
            "label",
            "conditions",
            "unless",
            "requires",
            "notice",
            "effects",
        }
        if unknown:
            raise WorkflowError(f"{path}:{line}: unknown keys {sorted(unknown)}")
        for key in ("trigger", "source", "dest"):
            if key not in body:
                raise WorkflowError(f"{path}:{line}: transition without '{key}'")
        transitions.append(
            TransitionSpec(
                trigger=body["trigger"],
                sources=_tuple(body["source"]),
                dest=body["dest"],
                roles=_tuple(body.get("roles")),
                label=_label(body.get("label"), body["trigger"]),
                conditions=_tuple(body.get("conditions")),
                unless=_tuple(body.get("unless")),
                requires=_tuple(body.get("requires")),
                notice=body.get("notice"),
                effects=_tuple(body.get("effects")),
                line=line,
            )
        )
    spec = WorkflowSpec(
        name=raw["name"],
        version=int(raw.get("version", 1)),
        initial=raw["initial"],
        states=states,
        transitions=tuple(transitions),
        path=str(path),
        triggers=tuple(dict.fromkeys(t.trigger for t in transitions)),
        migrate_from=_migrate_from(path, raw.get("migrate_from", {})),
    )
    return spec


def _tasks(path: Path, text: str, state: str, raw) -> TaskSpec | None:
    if raw is None:
        return None
    line = _line_of(text, rf"^\[states\.{re.escape(state)}\.tasks\]") or _line_of(
        text, rf"^\[states\.{re.escape(state)}\]"
    )
    try:
        return read_tasks(raw, line)
    except ValueError as exc:
        raise WorkflowError(f"{path}:{line}: state '{state}': tasks: {exc}") from exc


def _migrate_from(path: Path, raw: dict) -> dict[int, dict[str, str]]:
    """`[migrate_from.1] states = { old = "new" }`: how claims of version 1 move here."""
    maps = {}
    for version, body in raw.items():
        if not str(version).isdigit() or not isinstance(body, dict):
            raise WorkflowError(f"{path}: [migrate_from.{version}] must name a version number")
        maps[int(version)] = {str(k): str(v) for k, v in body.get("states", {}).items()}
    return maps


def validate(
    spec: WorkflowSpec,
    text: str,
    *,
    roles: set[str],
    guards: set[str],
    notices: set[str],
    fields: set[str],
    deadlines: set[str],
    effects: set[str],
    task_sources: set[str] = frozenset(),
) -> None:
    """Refuse a definition that could not run as written; name the file and line."""
    where = spec.path

    def fail(line: int, message: str) -> None:
        raise WorkflowError(f"{where}:{line}: {message}")

    if spec.initial not in spec.states:
        fail(_line_of(text, r"^initial\s*="), f"initial state '{spec.initial}' is not declared")
    for state in spec.states.values():
        line = _line_of(text, rf"^\[states\.{re.escape(state.name)}\]")
        if state.queue is not None and state.queue not in QUEUES:
            fail(line, f"state '{state.name}': unknown queue '{state.queue}'")
        if state.deadline is not None and state.deadline not in deadlines:
            fail(line, f"state '{state.name}': unknown deadline rule '{state.deadline}'")
        if state.on_deadline is not None:
            for problem in _on_deadline_problems(spec, state):
                fail(line, f"state '{state.name}': on_deadline: {problem}")
        for tag in sorted(state.tags - set(TAGS)):
            fail(line, f"state '{state.name}': unknown tag '{tag}'")
        if state.tasks is not None:
            for problem in task_problems(spec, state, roles, task_sources, notices):
                fail(state.tasks.line, f"state '{state.name}': tasks: {problem}")
    seen: dict[tuple[str, str], TransitionSpec] = {}
    for t in spec.transitions:
        if t.trigger in RESERVED_TRIGGERS:
            fail(t.line, f"'{t.trigger}': the name is reserved for the events of task decisions")
        for source in t.sources:
            if source not in spec.states:
                fail(t.line, f"'{t.trigger}': unknown source state '{source}'")
            if spec.states[source].final:
                fail(t.line, f"'{t.trigger}': leaves final state '{source}'")
            earlier = seen.get((t.trigger, source))
            if earlier is not None and not (earlier.conditions or earlier.unless):
                fail(
                    t.line,
                    f"'{t.trigger}' from '{source}' is declared twice and the first "
                    f"(line {earlier.line}) has no condition to choose between them",
                )
            seen[(t.trigger, source)] = t
        if t.dest not in spec.states:
            fail(t.line, f"'{t.trigger}': unknown destination state '{t.dest}'")
        if not t.roles:
            fail(t.line, f"'{t.trigger}': names no role that may take it")
        for role in t.roles:
            if role not in roles:
                fail(t.line, f"'{t.trigger}': unknown role '{role}'")
        for name in t.conditions + t.unless:
            if name not in guards:
                fail(t.line, f"'{t.trigger}': unknown guard '{name}'")
        for name in t.requires:
            if name not in fields:
                fail(t.line, f"'{t.trigger}': unknown required field '{name}'")
        for name in t.effects:
            if name not in effects:
                fail(t.line, f"'{t.trigger}': unknown effect '{name}'")
        if t.notice is not None and t.notice not in notices:
            fail(t.line, f"'{t.trigger}': unknown notice kind '{t.notice}'")
        if set(t.roles) != set(spec.first(t.trigger).roles):
            fail(t.line, f"'{t.trigger}': every declaration of a trigger names the same roles")
    for version, mapping in spec.migrate_from.items():
        line = _line_of(text, rf"^\[migrate_from\.{version}\]")
        if version >= spec.version:
            fail(line, f"migrate_from.{version}: not an older version than {spec.version}")
        for old, new in mapping.items():
            if new not in spec.states:
                fail(line, f"migrate_from.{version}: '{old}' maps to unknown state '{new}'")
    reachable = _reachable(spec)
    for state in spec.states.values():
        line = _line_of(text, rf"^\[states\.{re.escape(state.name)}\]")
        if state.name not in reachable:
            fail(line, f"state '{state.name}' cannot be reached from '{spec.initial}'")
        if not state.final and not spec.from_state(state.name):
            fail(line, f"state '{state.name}' is not final and has no way out")


def _on_deadline_problems(spec: WorkflowSpec, state: StateSpec) -> list[str]:
    """The system's move at a deadline needs a deadline, and a move the system may take."""
    if state.deadline is None and state.period is None:
        return ["the state has no deadline"]
    moves = [t for t in spec.from_state(state.name) if t.trigger == state.on_deadline]
    if not moves:
        return [f"no move '{state.on_deadline}' leaves the state"]
    if not any("system" in t.roles for t in moves):
        return [f"'{state.on_deadline}' is not the system's (roles = [\"system\"])"]
    return []


def _reachable(spec: WorkflowSpec) -> set[str]:
    seen = {spec.initial}
    todo = deque([spec.initial])
    while todo:
        state = todo.popleft()
        for t in spec.from_state(state):
            if t.dest not in seen:
                seen.add(t.dest)
                todo.append(t.dest)
    return seen
