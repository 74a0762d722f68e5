"""Moving the records filed under one version of a workflow to a newer version.

A record runs on the version it was filed under (`Workflows.engine_for`). When records must
leave an older version, `flask migrate-claims WORKFLOW FROM TO` moves them: each state goes
through the newer file's map, `[migrate_from.FROM] states = { old = "new" }`, and a state the
map does not name keeps its name when the newer version declares it.

A migration renames; it does not decide. The new state must mean what the old one meant (the
same tags, queue and finality), because the ledger, the access rules and the pages read those
meanings: a claim holding a reservation must still be in a state that holds one. A record
the newer version cannot place so is refused and named, and then no record moves: all of
them change in one transaction, or none does. Each move is an audit event by the system
(trigger `migrate`, which no workflow may declare), so every chain still ends where its
record's state is and says when and from which version the record changed.

Review tasks are part of what a state means (who decides it, and by which rule), and a
migration opens, moves or closes none: a round is opened only by a move into its state
(approvals/workflow/rounds.py), and a decided task is never changed. So a record is refused
when its new state declares tasks its old state did not (no round would be open, and the
moves the tasks fire are not offered by hand: nobody could act), when the old state's
tasks are gone or their rule differs (the open round would be dropped, or counted by a rule
it was not opened for), and when a state with tasks is renamed (the round's tasks keep the
old state's name, so the renamed state would have none). Such records finish on their own
version, or leave the state there first.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.workflow.engine import Engine
from approvals.workflow.registry import CATALOG, workflows
from approvals.workflow.runtime import Step
from approvals.workflow.spec import Label, StateSpec, TransitionSpec, WorkflowSpec

MIGRATE = "migrate"
LABEL = Label(zh="流程版本迁移", en="Workflow version migration")


@dataclass(frozen=True)
class Move:
    record: object
    name: str  # the record as people know it: its number, else its id
    source: str
    dest: str


@dataclass
class Migration:
    workflow: str
    from_version: int
    to_version: int
    moves: list[Move] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # record's name → why


def plan(model, workflow: str, from_version: int, to_version: int) -> Migration:
    """Where each record of `model` filed under (`workflow`, `from_version`) would go in
    `to_version`, and which cannot go. Changes nothing."""
    old, new = _engines(workflow, from_version, to_version)
    mapping = _mapping(old.spec, new.spec)
    migration = Migration(workflow, from_version, to_version)
    records = db.session.scalars(
        select(model)
        .where(model.workflow == workflow, model.workflow_version == from_version)
        .order_by(model.id)
    )
    for record in records:
        name = getattr(record, "number", None) or f"#{record.id}"
        dest = mapping.get(record.state, record.state)
        why = _unplaceable(old.spec, new.spec, record.state, dest)
        if why:
            migration.refused[name] = why
        else:
            migration.moves.append(Move(record, name, record.state, dest))
    return migration


def migrate(
    model, workflow: str, from_version: int, to_version: int, *, actor, now=None
) -> Migration:
    """Move every record of (`workflow`, `from_version`) to `to_version`, each with its audit
    event by `actor` (the system), in one transaction; refuse them all if one cannot go."""
    migration = plan(model, workflow, from_version, to_version)
    if migration.refused:
        raise Invalid(
            f"有 {len(migration.refused)} 件申报在第 {to_version} 版中没有含义相同的状态，"
            "未迁移任何申报",
            code="unplaceable_state",
            fields=migration.refused,
        )
    engine = workflows().get(workflow, to_version)
    kind = current_app.extensions[CATALOG].subjects
    now = now or current_time()
    facts = {"from_version": from_version, "to_version": to_version}
    try:
        with transaction():
            for move in migration.moves:
                record = move.record
                record.state, record.workflow_version = move.dest, to_version
                db.session.flush()  # the record's version check, before its event
                transition = TransitionSpec(
                    trigger=MIGRATE,
                    sources=(move.source,),
                    dest=move.dest,
                    roles=(actor.role,),
                    label=LABEL,
                )
                today = now.astimezone(LOCAL).date()
                step = Step(record, actor, engine, transition, move.source, {}, now, today)
                step.facts.update(facts)  # the event's payload: from which version to which
                kind.record(step)
    except StaleDataError as exc:
        raise Conflict(
            "迁移期间有申报被办理，未迁移任何申报，请重新运行", code="stale_version"
        ) from exc
    return migration


def _engines(workflow: str, from_version: int, to_version: int) -> tuple[Engine, Engine]:
    loaded = workflows()
    versions = sorted(e.spec.version for e in loaded.values() if e.spec.name == workflow)
    if not versions:
        names = sorted({e.spec.name for e in loaded.values()})
        raise Invalid(f"未知的流程：{workflow}（已加载：{'、'.join(names)}）")
    listed = "、".join(str(v) for v in versions)
    for version in (from_version, to_version):
        if version not in versions:
            raise Invalid(f"流程 {workflow} 没有第 {version} 版（已加载第 {listed} 版）")
    if to_version <= from_version:
        raise Invalid(f"只能迁移到更新的版本：第 {to_version} 版不比第 {from_version} 版新")
    return loaded.get(workflow, from_version), loaded.get(workflow, to_version)


def _mapping(old: WorkflowSpec, new: WorkflowSpec) -> dict[str, str]:
    """The newer file's map for the older version, checked against the older states."""
    if MIGRATE in new.triggers:
        raise Invalid(f"第 {new.version} 版声明了操作“{MIGRATE}”：这个名称留给版本迁移")
    if old.version not in new.migrate_from:
        raise Invalid(
            f"第 {new.version} 版没有声明 [migrate_from.{old.version}]：不知道第 "
            f"{old.version} 版的申报如何迁移（状态不变时写一个空的 states = {{}}）"
        )
    mapping = new.migrate_from[old.version]
    for state in mapping:
        if state not in old.states:
            raise Invalid(
                f"[migrate_from.{old.version}] 中的“{state}”不是第 {old.version} 版的状态"
                f"（{new.path}）"
            )
    return mapping


def _unplaceable(old: WorkflowSpec, new: WorkflowSpec, source: str, dest: str) -> str | None:
    """Why a record in `source` cannot become a record in `dest`, or None."""
    if dest not in new.states:
        return f"状态“{source}”在第 {new.version} 版中不存在，[migrate_from.{old.version}] 也未映射"
    if source not in old.states:  # a state no file of its version declares
        return f"状态“{source}”不是第 {old.version} 版的状态"
    differences = _differences(old.states[source], new.states[dest])
    if differences:
        return f"“{source}”与第 {new.version} 版的“{dest}”含义不同：{'；'.join(differences)}"
    return None


def _differences(old: StateSpec, new: StateSpec) -> list[str]:
    found = []
    if old.tags != new.tags:
        before, after = (", ".join(sorted(s.tags)) or "无" for s in (old, new))
        found.append(f"标签 {before} → {after}")
    if old.queue != new.queue:
        found.append(f"队列 {old.queue or '无'} → {new.queue or '无'}")
    if old.final != new.final:
        found.append("办结状态不同")
    return found + _task_differences(old, new)


def _task_differences(old: StateSpec, new: StateSpec) -> list[str]:
    """How the review tasks of `old` and `new` differ, for a record that would move between
    them without a round being opened, moved or closed (the module's docstring says why)."""
    if old.tasks is None and new.tasks is None:
        return []
    if old.tasks is None:
        return ["审核任务 无 → 有（迁移不开启审核任务，无人能办理）"]
    if new.tasks is None:
        return ["审核任务 有 → 无（进行中的审核任务将被丢弃）"]
    if replace(old.tasks, line=0) != replace(new.tasks, line=0):
        return ["审核任务的规则不同"]
    if old.name != new.name:
        return [f"审核任务记在“{old.name}”名下，改名为“{new.name}”后无人能办理"]
    return []
