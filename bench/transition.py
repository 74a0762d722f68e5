"""One transition through advance() against the floor and SpiffWorkflow, interleaved.

Issue 14. The peer comparison method: the same database, the same SQLAlchemy engine and
session, chunks of claims alternating between the systems, several repeats, medians and
p95, statements per call, bytes per claim life. Every claim lives the same life:

    draft -submit-> submitted -return_for_supplement-> returned -submit-> submitted
          -dept_reject-> rejected

Four moves, four notices (receipt, supplement, receipt, rejection). The systems:

- door: `advance()` on real claims (made as drafts by tests/factories.py, with their two
  evidence files, each under an enterprise of its own), from a fresh session per call with
  the actor loaded, as a request has it. Twice: with the notice's PDF handed to a task
  queue (an in-memory Celery broker nobody consumes: the request path, as with
  CELERY_BROKER_URL set) and with rendering taken out (the after-commit render dropped,
  the notice left pending). A few claims also go through the embedded default, rendering
  in-process after the commit, outside the interleave: rendering is ~50 ms a notice.
- floor: plain SQLAlchemy on tables of the claims' and events' shape: select the row,
  fire one shared `transitions.Machine` (bound and released per call, as
  approvals/workflow/engine.py does), UPDATE with a version check, INSERT the event.
- SpiffWorkflow: the same life as a BPMN process of user tasks (bench/transition.bpmn),
  its workflow serialized to JSON (`BpmnWorkflowSerializer`, spec included, its default)
  in a column of the claim's row: select, deserialize, run the ready task, serialize,
  UPDATE with a version check, INSERT the event.

Times are wall milliseconds per call; `cpu` is this process's CPU time, the steadier figure
on a busy machine (on PostgreSQL the server's share is not in it). Statements: SQL sent per
call (`before_cursor_execute`), BEGIN and COMMIT not counted. Bytes per claim life: what
the rows of one life take in the database, indexes and PDFs (notice_files) left out;
SQLite: `dbstat` payload per table, PostgreSQL: `pg_column_size` of each row (compressed
where PostgreSQL compresses). The door's life counts every table but notice_files, from
before its drafts were made (claim row, evidence rows, events, notices, counters).
Throwaway databases: a SQLite file in a temporary folder, `approvals_transition_<pid>` on
127.0.0.1:5432 (dropped at the end).

    .venv/bin/python bench/transition.py                      # both backends
    .venv/bin/python bench/transition.py --backend sqlite --chunk 10 --repeats 2
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
import tomllib
from datetime import UTC, datetime
from importlib.metadata import version as installed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # bench/ first on the path could shadow a standard module

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.parser import BpmnParser  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import (  # noqa: E402
    Column,
    MetaData,
    Table,
    Text,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from transitions import Machine  # noqa: E402

from approvals import create_app  # noqa: E402
from approvals.claims import services  # noqa: E402
from approvals.claims.models import Claim, ClaimEvent  # noqa: E402
from approvals.cli import DEMO_FILE  # noqa: E402
from approvals.db import AFTER_COMMIT  # noqa: E402
from approvals.demo import seed  # noqa: E402
from approvals.extensions import db  # noqa: E402
from approvals.notices import outbox  # noqa: E402
from approvals.organisations.credit_code import make_credit_code  # noqa: E402
from approvals.organisations.models import Enterprise, User  # noqa: E402
from approvals.workflow import runtime  # noqa: E402
from tests.factories import build_claim  # noqa: E402

POSTGRES_ADMIN = "postgresql://{user}@127.0.0.1:5432/postgres"
BPMN = Path(__file__).with_suffix(".bpmn")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVIDENCE = ("business_licence", "project_plan")  # what JMJ-PLAN asks for
REVIEWER = "reviewer_jmj"
# (trigger, who, payload): the life every claim of every system lives.
LIFE = (
    ("submit", "enterprise", {}),
    (
        "return_for_supplement",
        "reviewer",
        {"comment": "请补充近三年审计报告", "supplement_days": 14},
    ),
    ("submit", "enterprise", {}),
    ("dept_reject", "reviewer", {"comment": "经审核，项目不符合政策支持范围"}),
)
PER_CALL = "return_for_supplement"  # the plain move of the per-call figures: no budget
DOOR_QUEUED, DOOR_BARE, FLOOR, SPIFF = (
    "door, render queued",
    "door, render taken out",
    "floor",
    "SpiffWorkflow",
)
DOOR_INLINE = "door + render in-process"


# --- databases -------------------------------------------------------------------------


class Postgres:
    name = "PostgreSQL"

    def __init__(self, folder: Path) -> None:
        import psycopg

        self.db = f"approvals_transition_{os.getpid()}"
        for user in ("postgres", "root"):
            try:
                self.admin = POSTGRES_ADMIN.format(user=user)
                with psycopg.connect(self.admin, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{self.db}"')
                self.url = f"postgresql+psycopg://{user}@127.0.0.1:5432/{self.db}"
                return
            except psycopg.OperationalError:
                continue
        raise SystemExit("PostgreSQL at 127.0.0.1:5432 refused both postgres and root")

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


class Sqlite:
    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.url = f"sqlite:///{folder / 'transition.sqlite3'}"

    def drop(self) -> None:
        pass  # the temporary folder goes with everything else


def table_bytes(names: list[str]) -> dict[str, int]:
    """Bytes the rows of each table take (no indexes)."""
    if db.engine.dialect.name == "sqlite":
        found = db.session.execute(
            text("SELECT name, SUM(payload) FROM dbstat GROUP BY name")
        ).all()
        sizes = {name: int(size or 0) for name, size in found}
        return {name: sizes.get(name, 0) for name in names}
    return {
        name: db.session.scalar(
            text(f'SELECT COALESCE(SUM(pg_column_size(t.*)), 0) FROM "{name}" t')
        )
        for name in names
    }


# --- the peers' tables: the claims' and events' columns, nothing else ------------------

PEERS = MetaData()


def shaped_like(source: Table, name: str, *extra: Column) -> Table:
    """A table with `source`'s columns (no keys but the id, no defaults, all nullable)."""
    columns = [
        Column(c.name, c.type, primary_key=c.primary_key, nullable=not c.primary_key)
        for c in source.columns
    ]
    return Table(name, PEERS, *columns, *extra)


FLOOR_CLAIMS = shaped_like(Claim.__table__, "floor_claims")
FLOOR_EVENTS = shaped_like(ClaimEvent.__table__, "floor_events")
SPIFF_CLAIMS = shaped_like(Claim.__table__, "spiff_claims", Column("workflow_state", Text))
SPIFF_EVENTS = shaped_like(ClaimEvent.__table__, "spiff_events")


class Stale(Exception):
    pass


def write_move(claims: Table, events: Table, row, trigger, dest, actor_id, payload, **more):
    """The UPDATE under the version check and the INSERT of the event; then commit."""
    now = datetime.now(UTC)
    done = db.session.execute(
        update(claims)
        .where(claims.c.id == row.id, claims.c.version == row.version)
        .values(state=dest, version=row.version + 1, updated_at=now, **more)
    )
    if done.rowcount != 1:
        raise Stale(row.id)
    values = dict(payload)
    db.session.execute(
        insert(events).values(
            claim_id=row.id,
            trigger=trigger,
            from_state=row.state,
            to_state=dest,
            actor_id=actor_id,
            at=now,
            comment=values.pop("comment", None),
            payload=values,
        )
    )
    db.session.commit()


class Floor:
    """What a transition cannot cost less than: one shared machine, three statements."""

    def __init__(self) -> None:
        self.machine = Machine(
            model=None,
            states=["draft", "submitted", "returned", "rejected"],
            initial="draft",
            auto_transitions=False,
        )
        self.machine.add_transition("submit", ["draft", "returned"], "submitted")
        self.machine.add_transition("return_for_supplement", "submitted", "returned")
        self.machine.add_transition("dept_reject", "submitted", "rejected")
        self.lock = threading.Lock()

    def move(self, claim_id, trigger, actor_id, payload) -> None:
        t = FLOOR_CLAIMS.c
        row = db.session.execute(select(t.id, t.state, t.version).where(t.id == claim_id)).one()
        subject = type("Subject", (), {})()
        with self.lock:
            self.machine.add_model(subject, initial=row.state)
            try:
                if not self.machine.events[trigger].trigger(subject):
                    raise RuntimeError(f"{trigger} refused")
            finally:
                self.machine.remove_model(subject)
        write_move(FLOOR_CLAIMS, FLOOR_EVENTS, row, trigger, subject.state, actor_id, payload)


class Spiff:
    """The life as BPMN user tasks; the workflow's JSON stored on the claim's row."""

    def __init__(self) -> None:
        parser = BpmnParser()
        parser.add_bpmn_file(str(BPMN))
        self.spec = parser.get_spec("claim_life")
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure())

    def new(self) -> tuple[str, str]:
        workflow = BpmnWorkflow(self.spec)
        workflow.do_engine_steps()
        return self.waiting(workflow), self.serializer.serialize_json(workflow)

    @staticmethod
    def waiting(workflow) -> str:
        task = workflow.get_next_task(state=TaskState.READY, manual=True)
        return task.task_spec.name if task else "rejected"

    def move(self, claim_id, trigger, actor_id, payload) -> None:
        t = SPIFF_CLAIMS.c
        row = db.session.execute(
            select(t.id, t.state, t.version, t.workflow_state).where(t.id == claim_id)
        ).one()
        workflow = self.serializer.deserialize_json(row.workflow_state)
        task = workflow.get_next_task(state=TaskState.READY, manual=True)
        if task is None or task.task_spec.bpmn_name != trigger:
            raise RuntimeError(f"{trigger} is not the ready task of claim {claim_id}")
        task.data.update(payload, actor_id=actor_id)
        task.run()
        workflow.do_engine_steps()
        state = self.serializer.serialize_json(workflow)
        dest = self.waiting(workflow)
        write_move(
            SPIFF_CLAIMS, SPIFF_EVENTS, row, trigger, dest, actor_id, payload, workflow_state=state
        )


# --- the door --------------------------------------------------------------------------


def claimant(i: int) -> User:
    """An enterprise of its own per claim: an enterprise holds one live claim per policy."""
    name = f"基准企业{i:05d}有限公司"
    enterprise = Enterprise(
        name=name,
        credit_code=make_credit_code(f"91330100MT{i:07d}"),
        bank_name="中国银行示范市分行",
        bank_account=f"621799{i:013d}",
        account_name=name,
    )
    user = User(username=f"life_{i:05d}", password_hash="!", role="enterprise")
    user.enterprise = enterprise
    db.session.add_all([enterprise, user])
    return user


def door_claims(users: list[User]) -> list[tuple[int, int]]:
    """A draft with its evidence for each user: (claim id, enterprise user id)."""
    made = []
    for user in users:
        ref = build_claim("draft", enterprise=user.username, policy="JMJ-PLAN")
        for kind in EVIDENCE:
            services.add_attachment(user, ref.id, PDF + kind.encode(), f"{kind}.pdf", kind)
        made.append((ref.id, user.id))
    return made


class Door:
    def __init__(self, app) -> None:
        self.app = app
        self.reviewer = db.session.scalar(select(User.id).where(User.username == REVIEWER))
        self.hooks = list(app.extensions[AFTER_COMMIT])

    def mode(self, name: str) -> None:
        """Where the notice's PDF goes after the commit."""
        hooks = self.app.extensions[AFTER_COMMIT]
        hooks[:] = self.hooks
        self.app.config["CELERY_BROKER_URL"] = "memory://" if name == DOOR_QUEUED else None
        if name == DOOR_BARE:
            hooks[hooks.index(outbox.render_recorded)] = lambda s: s.info.pop(outbox.QUEUED, 0)

    def actor(self, who: str, enterprise_user: int) -> User:
        """As a request has it: a new session, the signed-in user loaded."""
        db.session.remove()
        user = db.session.get(User, self.reviewer if who == "reviewer" else enterprise_user)
        user.role, user.department_id, user.enterprise_id  # noqa: B018 — loaded before the clock
        return user


# --- running ---------------------------------------------------------------------------


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, *args) -> None:
        self.n += 1


def timed(call, counter: Counter) -> tuple[float, float, int]:
    before, start, cpu = counter.n, time.perf_counter(), time.process_time()
    call()
    return (
        (time.perf_counter() - start) * 1000,
        (time.process_time() - cpu) * 1000,
        counter.n - before,
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def run_backend(kind, args) -> None:
    folder = Path(tempfile.mkdtemp(prefix="approvals-transition-"))
    database = kind(folder)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database.url,
            "STORAGE_DIR": str(folder / "storage"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SECRET_KEY": "bench-only",
            "RATELIMIT_ENABLED": False,
        }
    )
    try:
        with app.app_context():
            measure(app, database.name, args)
            db.session.remove()
            db.engine.dispose()
    finally:
        database.drop()


def measure(app, backend: str, args) -> None:
    db.create_all()
    PEERS.create_all(db.engine)
    seed(tomllib.loads(DEMO_FILE.read_text(encoding="utf-8")))
    door, floor, spiff = Door(app), Floor(), Spiff()
    interleaved = (DOOR_QUEUED, DOOR_BARE, FLOOR, SPIFF)
    per_system = args.chunk * args.repeats
    count = per_system * 2 + args.inline

    started = time.perf_counter()
    users = [claimant(i) for i in range(count)]
    db.session.commit()
    app_tables = [t.name for t in db.metadata.sorted_tables if t.name != "notice_files"]
    door_before = table_bytes(app_tables)
    door_ids = door_claims(users)
    template = db.session.execute(select(Claim.__table__).where(Claim.id == door_ids[0][0]))
    template = dict(template.one()._mapping)
    template.pop("id")  # the copies take ids of their own
    claims = {DOOR_QUEUED: door_ids[:per_system], DOOR_BARE: door_ids[per_system : 2 * per_system]}
    claims[DOOR_INLINE] = door_ids[2 * per_system :]
    for system, table in ((FLOOR, FLOOR_CLAIMS), (SPIFF, SPIFF_CLAIMS)):
        rows = []
        for n in range(per_system):
            row = {**template, "number": f"{template['number']}-{system[0]}{n}"}
            if system == SPIFF:
                row["state"], row["workflow_state"] = spiff.new()
            rows.append(row)
        made = db.session.scalars(insert(table).returning(table.c.id), rows).all()
        claims[system] = [(cid, template["created_by_id"]) for cid in made]
    db.session.commit()

    setup = time.perf_counter() - started
    counter = Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    results = {name: {} for name in (*interleaved, DOOR_INLINE)}

    def live(system: str, claim_id: int, enterprise_user: int) -> None:
        for trigger, who, payload in LIFE:
            if system in (FLOOR, SPIFF):
                actor_id = door.reviewer if who == "reviewer" else enterprise_user
                peer = floor if system == FLOOR else spiff
                db.session.remove()
                figures = timed(
                    lambda p=peer, a=actor_id, t=trigger, v=payload: p.move(claim_id, t, a, v),
                    counter,
                )
            else:
                actor = door.actor(who, enterprise_user)
                version = db.session.scalar(select(Claim.version).where(Claim.id == claim_id))
                figures = timed(
                    lambda a=actor, t=trigger, n=version, v=payload: runtime.advance(
                        a, claim_id, t, version=n, **v
                    ),
                    counter,
                )
            results[system].setdefault(trigger, []).append(figures)

    # Warm every path once (first queries compile, Celery connects); not counted.
    for system in interleaved:
        door.mode(system)
        live(system, *claims[system][0])
    results = {name: {} for name in results}
    for repeat in range(args.repeats):
        order = interleaved[repeat % 4 :] + interleaved[: repeat % 4]
        for system in order:
            door.mode(system)
            chunk = claims[system][repeat * args.chunk : (repeat + 1) * args.chunk]
            if repeat == 0:
                chunk = chunk[1:]  # the warm-up claim has lived its life
            gc.collect()
            for claim in chunk:
                live(system, *claim)
    if args.inline:
        door.mode(DOOR_INLINE)
        from approvals.notices import render

        render.warm_up()
        for claim in claims[DOOR_INLINE]:
            live(DOOR_INLINE, *claim)
    event.remove(db.engine, "before_cursor_execute", counter)
    door.mode(DOOR_QUEUED)
    app.config["CELERY_BROKER_URL"] = None

    db.session.remove()
    door_after = table_bytes(app_tables)
    grown = {
        n: door_after[n] - door_before[n] for n in app_tables if door_after[n] > door_before[n]
    }
    lives = {name: sum(grown.values()) / len(door_ids) for name in (DOOR_QUEUED, DOOR_BARE)}
    lives[DOOR_INLINE] = lives[DOOR_QUEUED]
    for system, tables in (
        (FLOOR, ["floor_claims", "floor_events"]),
        (SPIFF, ["spiff_claims", "spiff_events"]),
    ):
        lives[system] = sum(table_bytes(tables).values()) / per_system
    ended = {
        name: db.session.scalars(select(table.c.state).distinct()).all()
        for name, table in (("door", Claim.__table__), (FLOOR, FLOOR_CLAIMS), (SPIFF, SPIFF_CLAIMS))
    }
    if any(states != ["rejected"] for states in ended.values()):
        raise SystemExit(f"not every claim lived its whole life: {ended}")
    spiff_json = db.session.scalar(select(func.avg(func.length(SPIFF_CLAIMS.c.workflow_state))))
    timings = (setup, time.perf_counter() - started - setup)
    report(backend, args, results, lives, grown, len(door_ids), float(spiff_json), timings)


def report(backend, args, results, lives, grown, door_count, spiff_json, timings) -> None:
    server = db.session.scalar(
        text("SELECT sqlite_version()" if backend == "SQLite" else "SHOW server_version")
    )
    print(
        f"\n{backend} {server}, SQLAlchemy {installed('sqlalchemy')}, transitions"
        f" {installed('transitions')}, SpiffWorkflow {installed('SpiffWorkflow')};"
        f" {args.chunk} claims a chunk x {args.repeats} repeats per system, interleaved;"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"life: {' -> '.join(trigger for trigger, _, _ in LIFE)}; set-up {timings[0]:.0f} s,"
        f" timed run {timings[1]:.0f} s"
    )
    header = (
        f"{'system':<26}{PER_CALL + ' ms':>22}{'cpu':>8}{'stmts':>7}"
        f"{'all moves ms':>16}{'stmts':>7}{'KB/life':>9}"
    )
    print(
        header
        + "\n"
        + " " * 26
        + f"{'median':>12}{'p95':>10}"
        + " " * 13
        + f"{'median':>10}{'p95':>6}"
    )
    print("-" * len(header))
    medians = {}
    for system, by_trigger in results.items():
        if not by_trigger:
            continue
        one = by_trigger[PER_CALL]
        every = [f for figures in by_trigger.values() for f in figures]
        wall = [f[0] for f in one]
        medians[system] = (statistics.median(wall), statistics.median(f[2] for f in one))
        all_wall = [f[0] for f in every]
        print(
            f"{system:<26}{medians[system][0]:>12.2f}{p95(wall):>10.2f}"
            f"{statistics.median(f[1] for f in one):>8.2f}{medians[system][1]:>7.0f}"
            f"{statistics.median(all_wall):>10.2f}{p95(all_wall):>6.1f}"
            f"{statistics.mean(f[2] for f in every):>7.1f}{lives[system] / 1024:>9.2f}"
        )
    size = ", ".join(
        f"{n} {b / door_count:.0f}" for n, b in sorted(grown.items(), key=lambda x: -x[1])
    )
    print(f"door's bytes per life by table (PDFs left out): {size}")
    door_ms, door_stmts = medians[DOOR_QUEUED]
    bare_ms, bare_stmts = medians[DOOR_BARE]
    floor_ms, floor_stmts = medians[FLOOR]
    spiff_ms = medians[SPIFF][0]
    print(
        f"request path (render queued): {door_ms:.2f} ms = {door_ms / floor_ms:.1f}x the floor,"
        f" {door_ms / spiff_ms:.2f}x SpiffWorkflow (goal <= 3x the floor, under SpiffWorkflow)"
        f" {'ok' if door_ms <= 3 * floor_ms and door_ms < spiff_ms else 'MISSED'}"
    )
    bare_ok = bare_ms <= 2.5 and bare_stmts <= 6
    print(
        f"rendering taken out: {bare_ms:.2f} ms, {bare_stmts:.0f} statements (goal <= 2.5 ms,"
        f" <= 6; floor {floor_stmts:.0f}) {'ok' if bare_ok else 'MISSED'};"
        f" handing the PDF to the queue costs {door_ms - bare_ms:.2f} ms"
    )
    door_kb = lives[DOOR_QUEUED] / 1024
    print(
        f"bytes per claim life: {door_kb:.2f} KB (goal <= 3 KB; floor {lives[FLOOR] / 1024:.2f},"
        f" SpiffWorkflow {lives[SPIFF] / 1024:.2f}, its JSON {spiff_json / 1024:.2f} KB before"
        f" the database compresses it) {'ok' if door_kb <= 3 else 'MISSED'}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--chunk", type=int, default=30, help="claims a chunk")
    parser.add_argument("--repeats", type=int, default=5, help="chunks per system")
    parser.add_argument("--inline", type=int, default=5, help="claims rendering in-process")
    args = parser.parse_args()
    kinds = {"sqlite": [Sqlite], "postgresql": [Postgres], "both": [Sqlite, Postgres]}
    for kind in kinds[args.backend]:
        run_backend(kind, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
