"""Load and validate every workflow definition at start-up."""

from __future__ import annotations

from pathlib import Path

from approvals.workflow.deadlines import RULES
from approvals.workflow.engine import Engine
from approvals.workflow.guards import GUARDS
from approvals.workflow.spec import WorkflowError, parse, validate


def load_file(path: str | Path, *, roles, notices, fields) -> Engine:
    spec = parse(path)
    validate(
        spec,
        Path(path).read_text(encoding="utf-8"),
        roles=set(roles),
        guards=set(GUARDS),
        notices=set(notices),
        fields=set(fields),
        deadlines=set(RULES),
    )
    return Engine(spec)


def load_all(directory: str | Path, *, roles, notices, fields) -> dict[str, Engine]:
    engines: dict[str, Engine] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        engine = load_file(path, roles=roles, notices=notices, fields=fields)
        if engine.spec.name in engines:
            raise WorkflowError(f"{path}: workflow name '{engine.spec.name}' is used twice")
        engines[engine.spec.name] = engine
    if not engines:
        raise WorkflowError(f"{directory}: no workflow definitions found")
    return engines
