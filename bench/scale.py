"""Scale benchmark: 10k → 1M claims in PostgreSQL, filled by SQL; times the officials' pages.

A throwaway database `approvals_scale_<pid>` on 127.0.0.1:5432 (or BENCH_SERVER_URL) is
upgraded by the migrations (so their triggers, such as the queue counts', are there), seeded
with the demo data, then grown to each size by `INSERT ... SELECT ... generate_series`:
claims over the demo's clauses and claimants, in every state of their workflow (most paid,
a few in each queue state, about 2 % of the waiting ones overdue), each with the events of
the shortest path from the workflow's initial state to its own, and a `pay` ledger entry per
paid claim. The hash columns of events and ledger entries hold placeholders: none of the
pages timed here reads the chains (`flask check-audit` would report every link broken).

At each size the pages are requested through the Flask test client, signed in as a person
is, and timed: median and p95. The reports page reads its snapshot (the data does not move
while it is timed); "reports recomputed" times what the worker does once the data moved.
The slowest page at the largest size is traced statement by statement and its slowest
statement is shown with EXPLAIN (ANALYZE, BUFFERS). The database is
dropped at the end, also after an error or Ctrl-C (`--keep` leaves it).

    .venv/bin/python bench/scale.py --sizes 10000,100000
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import tomllib
from collections import deque
from contextlib import closing, contextmanager, suppress
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import event, select, text
from sqlalchemy.engine import make_url

from approvals import create_app
from approvals.cli import DEMO_FILE
from approvals.demo import seed
from approvals.extensions import db
from approvals.finance import report_snapshots
from approvals.organisations.models import Enterprise, User
from approvals.policies.models import Policy
from approvals.workflow.registry import workflows

SERVER = os.environ.get("BENCH_SERVER_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))["password"]
REVIEWER, FINANCE = "reviewer_jmj", "finance"
QUEUE_ARGS = {"policy": "", "order": "oldest"}
OVERDUE_SHARE = 0.02  # of the claims waiting in a queue


def _weight(spec, name: str) -> float:
    """How many claims of a hundred sit in this state: most paid, a few in each queue."""
    state = spec.states[name]
    if name == spec.initial:
        return 3
    if {"in_recovery", "recovered", "written_off"} & state.tags:
        return 0.3
    if "paid" in state.tags:
        return 60
    if {"refused", "given_up"} & state.tags:
        return 2
    if state.queue in ("department", "finance", "government"):
        return 3
    return 1.5


def _paths(spec) -> dict[str, list[tuple[str, str, str]]]:
    """Per state, the moves (trigger, role, dest) of a shortest path to it from the initial."""
    paths = {spec.initial: []}
    todo = deque([spec.initial])
    while todo:
        here = todo.popleft()
        for move in spec.transitions:
            if here in move.sources and move.dest not in paths:
                paths[move.dest] = [*paths[here], (move.trigger, move.roles[0], move.dest)]
                todo.append(move.dest)
    return paths


def _plan_rows() -> list[dict]:
    """bench_plan: for each workflow, its reachable states with a slice [lo, hi) of [0, 1)."""
    rows = []
    for engine in workflows().latest():
        spec = engine.spec
        paths = _paths(spec)
        total = sum(_weight(spec, s) for s in paths)
        lo = 0.0
        for name, moves in paths.items():
            hi = lo + _weight(spec, name) / total
            visited = [spec.initial, *(dest for _t, _r, dest in moves)]
            queues = {spec.states[s].queue for s in visited}
            rows.append(
                {
                    "workflow": spec.name,
                    "version": spec.version,
                    "state": name,
                    "lo": lo,
                    "hi": 1.0 if name == list(paths)[-1] else hi,
                    "states": visited,
                    "triggers": [t for t, _r, _d in moves],
                    "roles": [r for _t, r, _d in moves],
                    "waiting": spec.states[name].queue in ("department", "finance", "government"),
                    "final": spec.states[name].final,
                    "assessed": bool({"payable", "paid"} & spec.states[name].tags),
                    "paid": "paid" in spec.states[name].tags,
                    "reached_finance": "finance" in queues or "paid" in spec.states[name].tags,
                    "reached_government": "government" in queues,
                }
            )
            lo = hi
    return rows


SETUP = [
    """CREATE TABLE bench_plan (workflow text, version int, state text, lo float8, hi float8,
    states text[], triggers text[], roles text[], waiting bool, final bool, assessed bool,
    paid bool, reached_finance bool, reached_government bool)""",
    """CREATE TABLE bench_policy (idx int, id int, department_id int, workflow text,
    call_year int, version int, cap numeric, no_money bool, claimant text)""",
    "CREATE TABLE bench_claimant (kind text, idx int, n int, enterprise_id int, user_id int)",
    "CREATE TABLE bench_actor (role text, department_id int, user_id int)",
]

# One size step: claims [first, last]. Random draws per claim: state, amount, deadline.
CLAIMS = """
INSERT INTO claims (id, number, workflow, workflow_version, policy_id, policy_version,
    department_id, enterprise_id, created_by_id, project_title, requested_amount,
    approved_amount, paid_amount, state, version, reached_finance, reached_government,
    created_at, updated_at, submitted_at, due_at, decided_at, supplement_due_provisional)
SELECT g.n, p.call_year || '-S-' || lpad(g.n::text, 8, '0'), p.workflow, s.version, p.id,
    p.version, p.department_id, c.enterprise_id, c.user_id, '规模基准项目 ' || g.n,
    g.amount, CASE WHEN s.assessed THEN round(g.amount * 0.9, 2) END,
    CASE WHEN s.paid THEN round(g.amount * 0.9, 2) END,
    s.state, 1, s.reached_finance, s.reached_government, g.created,
    g.created + cardinality(s.triggers) * interval '5 days',
    CASE WHEN cardinality(s.triggers) > 0 THEN g.created + interval '5 days' END,
    CASE WHEN NOT s.waiting THEN NULL
         WHEN g.r_due < CAST(:overdue AS float8)
         THEN now() - g.r_due / CAST(:overdue AS float8) * interval '60 days'
         ELSE now() + interval '1 day' + g.r_due * interval '120 days' END,
    CASE WHEN s.final THEN g.created + cardinality(s.triggers) * interval '5 days' END,
    false
FROM (
    SELECT n, random() AS r_state, random() AS r_due,
        CASE WHEN bp.no_money THEN NULL
             ELSE round((least(bp.cap, 300000) * (0.1 + 0.9 * random()))::numeric, 2) END
            AS amount,
        now() - interval '400 days' + n * interval '30 seconds' AS created, bp.idx
    FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS n
    JOIN bench_policy bp ON bp.idx = n % CAST(:policies AS int)
) AS g
JOIN bench_policy p ON p.idx = g.idx
JOIN bench_plan s ON s.workflow = p.workflow AND g.r_state >= s.lo AND g.r_state < s.hi
JOIN bench_claimant c ON c.kind = p.claimant AND c.idx = g.n % c.n
"""

# The moves of each new claim's path, a few days apart, by an official of the move's role
# (the claimant for its own moves). Placeholder hashes: see the module's docstring.
EVENTS = """
INSERT INTO claim_events (claim_id, trigger, from_state, to_state, actor_id, at, comment,
    payload, snapshot, prev_hash, hash)
SELECT c.id, s.triggers[k], s.states[k], s.states[k + 1],
    coalesce(CASE WHEN s.roles[k] = 'enterprise' THEN c.created_by_id END,
             own.user_id, office.user_id, c.created_by_id),
    c.created_at + (k - 1) * interval '5 days' + random() * interval '4 days',
    CASE WHEN s.roles[k] <> 'enterprise' THEN '同意' END, '{}', '{}',
    repeat('0', 64), md5(c.id || '-' || k) || md5(k || '-' || c.id)
FROM claims c
JOIN bench_plan s ON s.workflow = c.workflow AND s.state = c.state
CROSS JOIN LATERAL generate_series(1, cardinality(s.triggers)) AS k
LEFT JOIN bench_actor own ON own.role = s.roles[k] AND own.department_id = c.department_id
LEFT JOIN bench_actor office ON office.role = s.roles[k] AND office.department_id IS NULL
WHERE c.id BETWEEN CAST(:first AS int) AND CAST(:last AS int)
ORDER BY c.id, k
"""

# A paid claim's payout against its clause's budget of its call year.
LEDGER = """
INSERT INTO ledger_entries (budget_id, claim_id, event_id, kind, amount, note, at,
    prev_hash, hash)
SELECT b.id, c.id, e.id, 'pay', c.paid_amount, '', e.at, repeat('0', 64),
    md5('pay-' || e.id) || md5(e.id || '-pay')
FROM claims c
JOIN bench_policy p ON p.id = c.policy_id
JOIN budgets b ON b.policy_id = c.policy_id AND b.year = p.call_year
JOIN bench_plan s ON s.workflow = c.workflow AND s.state = c.state
JOIN claim_events e ON e.claim_id = c.id AND e.to_state = s.states[cardinality(s.states)]
WHERE c.id BETWEEN CAST(:first AS int) AND CAST(:last AS int)
    AND s.paid AND c.paid_amount IS NOT NULL
ORDER BY e.id
"""


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def throwaway_database():
    """A database of our own on the server, dropped at the end however the run ends."""
    name = f"approvals_scale_{os.getpid()}"
    with closing(psycopg.connect(_libpq(SERVER), autocommit=True)) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(SERVER).set(database=name).render_as_string(hide_password=False), name
    finally:
        if not ARGS.keep:
            with closing(psycopg.connect(_libpq(SERVER), autocommit=True)) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_app(url: str, tmp: Path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "STORAGE_DIR": str(tmp / "storage"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SECRET_KEY": "bench-only",  # serves nothing; the built-in key is refused
            "WTF_CSRF_ENABLED": False,  # the pages are reached by posting the sign-in form
            "RATELIMIT_ENABLED": False,
        }
    )


def _fill_lookups() -> None:
    """The bench_* tables the generating SQL joins: workflows' paths, clauses, people."""
    for statement in SETUP:
        db.session.execute(text(statement))
    plan = _plan_rows()
    db.session.execute(
        text(
            "INSERT INTO bench_plan VALUES (:workflow, :version, :state, :lo, :hi, :states,"
            " :triggers, :roles, :waiting, :final, :assessed, :paid, :reached_finance,"
            " :reached_government)"
        ),
        plan,
    )
    policies = list(db.session.scalars(select(Policy).order_by(Policy.id)))
    claimants: dict[str, list[tuple[int, int]]] = {}
    for user in db.session.scalars(select(User).where(User.enterprise_id.is_not(None))):
        kind = db.session.get(Enterprise, user.enterprise_id).claimant_type
        claimants.setdefault(kind, []).append((user.enterprise_id, user.id))
    for kind, people in claimants.items():
        for idx, (enterprise_id, user_id) in enumerate(sorted(people)):
            db.session.execute(
                text("INSERT INTO bench_claimant VALUES (:k, :i, :n, :e, :u)"),
                {"k": kind, "i": idx, "n": len(people), "e": enterprise_id, "u": user_id},
            )
    for idx, policy in enumerate(policies):
        kinds = [k for k in (policy.claimant_types or ["enterprise"]) if k in claimants]
        db.session.execute(
            text("INSERT INTO bench_policy VALUES (:i, :id, :d, :w, :y, :v, :cap, :nm, :k)"),
            {
                "i": idx,
                "id": policy.id,
                "d": policy.department_id,
                "w": policy.workflow,
                "y": policy.call_year,
                "v": policy.version or 1,
                "cap": policy.cap,
                "nm": policy.funding_type == "tax_share",
                "k": kinds[0],
            },
        )
    # A department's reviewer for its moves; one person per city office for theirs.
    db.session.execute(
        text(
            "INSERT INTO bench_actor SELECT role, CASE WHEN role = 'reviewer' THEN"
            " department_id END, min(id) FROM users WHERE role NOT IN ('enterprise', 'expert')"
            " AND (role <> 'reviewer' OR username LIKE 'reviewer\\_%') GROUP BY 1, 2"
        )
    )
    db.session.commit()


def grow(first: int, last: int) -> float:
    """Add claims first..last with their events and payouts; VACUUM the kept counts and
    ANALYZE. Returns seconds."""
    started = time.perf_counter()
    params = {"first": first, "last": last}
    policies = db.session.scalar(text("SELECT count(*) FROM bench_policy"))
    db.session.execute(text("SELECT setseed(:s)"), {"s": (first % 1000) / 1000})
    db.session.execute(text(CLAIMS), {**params, "policies": policies, "overdue": OVERDUE_SHARE})
    db.session.execute(text(EVENTS), params)
    db.session.execute(text(LEDGER), params)
    db.session.execute(text("SELECT setval(pg_get_serial_sequence('claims', 'id'), :last)"), params)
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # One transaction moved the kept counts a million times: every old version of
        # their few thousand rows is dead at once. Their autovacuum (after 1,000 changes,
        # approvals/claims/counts.py) clears them within the minute on a live database.
        conn.execute(text("VACUUM claim_counts"))
        conn.execute(text("ANALYZE"))
    return time.perf_counter() - started


SHAPE = """SELECT (SELECT count(*) FROM claim_events),
    count(*) FILTER (WHERE due_at IS NOT NULL), count(*) FILTER (WHERE due_at <= now())
FROM claims"""


# Timing -----------------------------------------------------------------------------------


def signed_in(app, username: str):
    client = app.test_client()
    res = client.post("/signin", data={"username": username, "password": PASSWORD})
    assert res.status_code == 302, (username, res.status_code)
    return client


def api_token(app, username: str) -> str:
    res = app.test_client().post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_json()["token"]


def pages(app, engine) -> list[tuple[str, bool, object]]:
    """(label, is a report, request) for every page timed."""
    reviewer, finance = signed_in(app, REVIEWER), signed_in(app, FINANCE)
    token = api_token(app, REVIEWER)
    with engine.connect() as conn:  # the reviewer's newest paid claim: the most events
        claim_id = conn.scalar(
            text(
                "SELECT c.id FROM claims c JOIN users u ON u.department_id = c.department_id"
                " WHERE u.username = :u AND c.state = 'disbursed' ORDER BY c.id DESC LIMIT 1"
            ),
            {"u": REVIEWER},
        )

    def get(client, url, **kwargs):
        def request():
            res = client.get(url, **kwargs)
            assert res.status_code == 200, (url, res.status_code)
            return res.get_data()

        return request

    def recompute():
        # What the worker does once the data moved (approvals/finance/report_snapshots.py):
        # the page itself then reads the snapshot, timed on the row above.
        with app.app_context():
            report_snapshots.refresh()

    overdue = {**QUEUE_ARGS, "overdue": "y"}
    bearer = {"Authorization": f"Bearer {token}"}
    return [
        ("queue, reviewer", False, get(reviewer, "/queue", query_string=QUEUE_ARGS)),
        ("queue, reviewer, overdue", False, get(reviewer, "/queue", query_string=overdue)),
        ("queue, finance", False, get(finance, "/queue", query_string=QUEUE_ARGS)),
        ("queue, finance, overdue", False, get(finance, "/queue", query_string=overdue)),
        ("API claims, reviewer", False, get(reviewer, "/api/v1/claims", headers=bearer)),
        ("claim page (newest paid)", False, get(reviewer, f"/claims/{claim_id}")),
        ("reports page, finance", True, get(finance, "/finance/reports")),
        ("stages CSV, finance", True, get(finance, "/finance/reports/stages.csv")),
        ("reports recomputed (worker)", True, recompute),
    ]


def _peak_rss_reset() -> None:
    """Reset the kernel's peak-RSS mark (VmHWM) so that it covers what follows only."""
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource  # whole-process peak: an upper bound only

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(request, runs: int) -> tuple[float, float]:
    request()  # warm: templates compiled, plans cached
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        request()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), _p95(times)


@contextmanager
def traced(engine):
    """Every statement run meanwhile, with its parameters and milliseconds."""
    statements: list[tuple[float, str, object]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        started = conn.info["bench_started"].pop()
        statements.append(((time.perf_counter() - started) * 1000, statement, parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def explain(engine, statement: str, parameters) -> str:
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters)
        lines = [row[0] for row in plan]
        conn.rollback()
    return "\n".join(lines)


def measure(app, engine, size: int) -> dict[str, tuple[float, float, int, float]]:
    """{page: (median ms, p95 ms, statements, slowest statement ms)}; prints peak RSS."""
    results = {}
    for label, is_report, request in pages(app, engine):
        runs = ARGS.runs if not is_report or size < 1_000_000 else ARGS.report_runs
        if is_report:
            _peak_rss_reset()
        median, p95 = timed(request, runs)
        if is_report:
            print(f"  peak RSS during {label}: {_peak_rss_mb():.0f} MB")
        with traced(engine) as statements:
            request()
        slowest = max((ms for ms, _s, _p in statements), default=0.0)
        results[label] = (median, p95, len(statements), slowest)
    return results


def main() -> None:
    sizes = [int(s) for s in ARGS.sizes.split(",")]
    table: dict[int, dict] = {}
    with throwaway_database() as (url, name), tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        app = bench_app(url, tmp)
        # The migrations' and the app's request log would print every step and request.
        logging.disable(logging.INFO)
        with app.app_context():
            upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
            seed(tomllib.loads(DEMO_FILE.read_text(encoding="utf-8")))
            _fill_lookups()
            engine = db.engine
        try:
            have = 0
            for size in sizes:
                with app.app_context():
                    seconds = grow(have + 1, size)
                    events, waiting, overdue = db.session.execute(text(SHAPE)).one()
                print(
                    f"{name}: {size:,} claims (+{seconds:.1f} s): {events:,} events,"
                    f" {waiting:,} waiting in a queue, {overdue:,} of them overdue"
                )
                have = size
                # Requests run outside any app context of ours, each in its own as served:
                # one held open would share its `g` (the signed-in user) and its session.
                table[size] = measure(app, engine, size)
                _print_table(table)
            _explain_slowest(app, engine, table[sizes[-1]])
        finally:
            engine.dispose()


def _print_table(table: dict[int, dict]) -> None:
    sizes = list(table)
    head = "".join(f"{f'{s:,}':>31}" for s in sizes)
    print(f"\n{'ms: median / p95 (n, slowest)':<30}{head}")
    for label in table[sizes[0]]:
        cells = ""
        for s in sizes:
            median, p95, n, slowest = table[s][label]
            cells += f"{f'{median:.1f} / {p95:.1f} ({n}, {slowest:.1f})':>31}"
        print(f"{label:<30}{cells}")
    print()


def _explain_slowest(app, engine, results: dict) -> None:
    label = max(results, key=lambda k: results[k][0])
    request = {lbl: req for lbl, _r, req in pages(app, engine)}[label]
    with traced(engine) as statements:
        request()
    statements.sort(key=lambda s: s[0], reverse=True)
    total = sum(s[0] for s in statements)
    print(f"slowest page: {label}; {len(statements)} statements, {total:.0f} ms in all:")
    for ms, statement, _parameters in statements[:5]:
        print(f"{ms:9.1f} ms  {' '.join(statement.split())[:100]}")
    ms, statement, parameters = statements[0]
    print(f"\nthe slowest, {ms:.1f} ms:")
    print(_clipped(statement, ARGS.full))
    print(_clipped(f"parameters: {parameters}", ARGS.full), "\n")
    for line in explain(engine, statement, parameters).splitlines():
        print(_clipped(line, ARGS.full))


def _clipped(line: str, full: bool, width: int = 200) -> str:
    """A long line cut to its start: the reports' label CASEs run to thousands of characters."""
    return line if full or len(line) <= width else f"{line[: width - 1]}…"


def _args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="claims, ascending")
    parser.add_argument("--runs", type=int, default=20, help="requests per page and size")
    parser.add_argument("--report-runs", type=int, default=5, help="reports' runs at 1M+")
    parser.add_argument("--keep", action="store_true", help="leave the database behind")
    parser.add_argument("--full", action="store_true", help="print the SQL and plan uncut")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if sizes != sorted(set(sizes)) or sizes[0] < 1:
        parser.error("--sizes: positive and ascending (the claims grow from one to the next)")
    return args


ARGS = _args(sys.argv[1:]) if __name__ == "__main__" else _args([])

if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)  # the database was dropped on the way out
