"""Submission rush: many enterprises create, document and submit a claim against gunicorn.

Issue 14. The script serves the app itself as `make serve` does (gunicorn with the
repository's gunicorn.conf.py, `--workers` sync workers, a free loopback port) on a
throwaway database per backend (PostgreSQL `approvals_rush_<pid>_<n>`, dropped at the end;
SQLite in a temporary folder), upgraded and seeded with the demo data. Before the clock
starts it registers `--enterprises` enterprises through the app's own service and issues
each an API token, so neither sign-up's rate limit nor password hashing is measured (the
claim routes have no rate limit: approvals/organisations/throttle.py limits credentials
only). One more enterprise files a claim through the test client, outside the clock, to
count the SQL statements of each step. Then `--clients` threads, each one enterprise at a
time, create a `JMJ-PLAN` claim, upload one small PDF per required evidence kind (unique
per claim), read the claim back for its version and submit it, for at most `--seconds` of
load or until every enterprise has submitted (an enterprise holds one live claim per
policy). Afterwards it waits until every notice is issued (the app's /metrics gauge), then
reads every submitted claim once to check that it has its receipt, issued. With `--queue`
a Celery worker on Redis (`--render-workers` processes, as `make worker`'s two; a queue of
its own, removed afterwards) renders the receipts, else each web worker does right after
its commit. Defaults: 600 enterprises, 32 clients, 45 s, 2 gunicorn workers (issue 14's
"before" figures were taken with `gunicorn -w 2`); at 150 submissions/s, 600 enterprises
last 4 s, so raise `--enterprises` (about 23 ms of setup each) for a longer rush.

    .venv/bin/python bench/rush.py                      # PostgreSQL and SQLite, inline
    .venv/bin/python bench/rush.py --backend postgresql --queue --seconds 10
    make bench-rush                                     # both inline, then PostgreSQL queued

The table goes to stdout, progress and diagnostics to stderr. Only the standard library
drives the load (http.client, one connection per thread), so the bench needs nothing the app
does not already install; it shares the cores with the server, and says how much it used.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # bench/ first on the path could shadow a standard module
VENV_BIN = ROOT / ".venv" / "bin"
POSTGRES_ADMIN = "postgresql://{user}@127.0.0.1:5432/postgres"
POLICY = "JMJ-PLAN"
# As tests/conftest.py's PDF_BYTES: the upload's type is sniffed from the first bytes.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FAST_HASH = "pbkdf2:sha256:1000"  # setup only: nobody signs in with a password when timed
STEPS = ("create", "upload", "read", "submit")
SAMPLES = 3  # error bodies printed per (step, status)
DRAIN_LIMIT = 120.0  # seconds to wait for the receipts after the last submit


BEGAN = time.perf_counter()


def say(message: str) -> None:
    print(f"# {time.perf_counter() - BEGAN:5.0f} s  {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- databases -------------------------------------------------------------------------
# Each backend is prepared once (upgraded, seeded, its enterprises registered) and every
# run gets a copy: a PostgreSQL database made from it as a template, a copied SQLite file.


class Postgres:
    name = "postgresql"

    def __init__(self, db: str, template: str | None = None) -> None:
        import psycopg

        self.db, self.admin = db, None
        clause = f' TEMPLATE "{template}"' if template else ""
        for user in ("postgres", "root"):
            try:
                admin = POSTGRES_ADMIN.format(user=user)
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{self.db}"{clause}')
            except psycopg.OperationalError:
                continue
            self.admin = admin
            self.url = f"postgresql+psycopg://{user}@127.0.0.1:5432/{self.db}"
            return
        raise RuntimeError("PostgreSQL at 127.0.0.1:5432 refused both postgres and root")

    def copy(self, n: int, folder: Path) -> Postgres:
        return Postgres(f"{self.db}_{n}", template=self.db)

    def stats(self) -> dict[str, int]:
        """This database's counters since it was made (pg_stat_database)."""
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            row = conn.execute(
                "SELECT xact_commit, xact_rollback, deadlocks FROM pg_stat_database"
                " WHERE datname = %s",
                (self.db,),
            ).fetchone()
        return dict(zip(("commits", "rollbacks", "deadlocks"), row or (0, 0, 0), strict=True))

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


class Sqlite:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"

    def copy(self, n: int, folder: Path) -> Sqlite:
        # The template's engine is disposed: its last connection checkpointed the WAL.
        shutil.copyfile(self.path, folder / self.path.name)
        return Sqlite(folder / self.path.name)

    def stats(self) -> dict[str, int]:
        return {}

    def drop(self) -> None:
        pass  # the temporary folder goes with everything else


# --- setup, outside the clock ----------------------------------------------------------


def setup_app(env: dict):
    from approvals import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "SECRET_KEY": env["SECRET_KEY"],
            "STORAGE_DIR": env["APPROVALS_STORAGE_DIR"],
            "PASSWORD_HASH_METHOD": FAST_HASH,
            "CELERY_BROKER_URL": None,  # the profile's receipt is rendered here
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


def prepare(backend: str, folder: Path, env: dict, count: int) -> tuple:
    """The backend's template: upgraded, the demo's departments, policies and windows (not
    its claims: `seed-demo` spends most of a minute on them), `count` enterprises with a
    token each, and the SQL statements per step of one more enterprise's claim."""
    import tomllib

    from approvals.cli import DEMO_FILE
    from approvals.demo import seed
    from approvals.extensions import db

    began = time.perf_counter()
    if backend == "postgresql":
        database = Postgres(f"approvals_rush_{os.getpid()}")
    else:
        database = Sqlite(folder / "rush.sqlite3")
    try:
        env = {**env, "DATABASE_URL": database.url, "APPROVALS_STORAGE_DIR": str(folder / "s")}
        with (folder / "setup.log").open("w") as log:
            run_flask(env, "db", "upgrade", log=log)
        app = setup_app(env)
        with app.app_context():
            seed(tomllib.loads(DEMO_FILE.read_text(encoding="utf-8")))
            policy = db.session.scalar(select_policy())
            kinds = list(policy.required_evidence)
        # SQLite has one writer: threads would only wait for each other.
        tokens = make_accounts(app, count + 1, 4 if backend == "postgresql" else 1)
        statements = count_statements(app, tokens.pop(), kinds)
    except BaseException:
        database.drop()
        raise
    took = time.perf_counter() - began
    say(f"{backend}: template database with {count} enterprises in {took:.0f} s")
    return database, tokens, kinds, statements


def select_policy():
    from sqlalchemy import select

    from approvals.policies.models import Policy

    return select(Policy).where(Policy.code == POLICY)


def make_accounts(app, count: int, threads: int) -> list[str]:
    """Register `count` enterprises through the sign-up service; one API token each. Each
    thread has its own app context, hence its own session."""
    from approvals.organisations.credit_code import make_credit_code
    from approvals.organisations.services import register_enterprise
    from approvals.organisations.sessions import issue_token

    def register(numbers: range) -> list[str]:
        tokens = []
        with app.app_context():
            for n in numbers:
                user = register_enterprise(
                    f"压测企业{n:05d}有限公司",
                    make_credit_code(f"91330400RWH{n:06d}"),
                    f"rush{n:05d}",
                    f"Rush-{uuid.uuid4().hex}",
                )
                tokens.append(issue_token(user))
        return tokens

    with ThreadPoolExecutor(threads) as pool:
        chunks = pool.map(register, [range(t, count, threads) for t in range(threads)])
        return [token for chunk in chunks for token in chunk]


def count_statements(app, token: str, kinds: list[str]) -> dict[str, int]:
    """SQL statements of each step for one claim, through the test client (not timed).
    The submit's count includes rendering its receipt, as a web worker without a queue does."""
    from io import BytesIO

    from sqlalchemy import event

    from approvals.extensions import db

    counts = collections.Counter()
    current = [""]

    def count(*_args) -> None:
        counts[current[0]] += 1

    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:

        def step(name, method, path, **kw):
            current[0] = name
            res = client.open(path, method=method, headers=headers, **kw)
            current[0] = ""
            if res.status_code >= 300:
                raise SystemExit(f"profile: {name} answered {res.status_code}: {res.data[:300]}")
            return res.get_json()

        body = {"policy_code": POLICY, "project_title": "计数项目", "requested_amount": "120000.00"}
        claim = step("create", "POST", "/api/v1/claims", json=body)
        for kind in kinds:
            pdf = PDF_BYTES + f"% profile {kind}\n".encode()
            data = {"kind": kind, "file": (BytesIO(pdf), f"{kind}.pdf")}
            step("upload", "POST", f"/api/v1/claims/{claim['id']}/attachments", data=data)
        fresh = step("read", "GET", f"/api/v1/claims/{claim['id']}")
        move = {"trigger": "submit", "version": fresh["version"]}
        step("submit", "POST", f"/api/v1/claims/{claim['id']}/transitions", json=move)
    finally:
        event.remove(engine, "before_cursor_execute", count)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    counts["upload"] //= max(len(kinds), 1)  # per upload
    return dict(counts)


def run_flask(env: dict, *args: str, log) -> None:
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "approvals", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


# --- the client ------------------------------------------------------------------------


class Client:
    """One loopback connection per thread; gunicorn's sync workers close it after each answer,
    and http.client opens it again on the next request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def raw(self, method, path, token=None, body=None, content_type="application/json"):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Content-Type"] = content_type
            if content_type == "application/json":
                body = json.dumps(body).encode()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            self.local.conn = None
            raise
        return response.status, raw

    def call(self, *args, **kwargs) -> tuple[int, dict]:
        status, raw = self.raw(*args, **kwargs)
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {"body": raw[:300].decode("utf-8", "replace")}
        return status, data


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        )
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"'
        "\r\nContent-Type: application/pdf\r\n\r\n"
    )
    body = "".join(parts).encode() + head.encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Failed(Exception):
    def __init__(self, step: str, status: int | str, data: dict) -> None:
        super().__init__(f"{step} {status}: {json.dumps(data, ensure_ascii=False)[:300]}")
        self.key = (step, status)


def error_class(status: int | str) -> str:
    if isinstance(status, str):
        return "transport"  # no answer: refused, reset, timed out
    return "5xx" if status >= 500 else "4xx"


class Rush:
    def __init__(self, client: Client, kinds: list[str], deadline: float) -> None:
        self.client, self.kinds, self.deadline = client, kinds, deadline
        self.times = {step: [] for step in STEPS}
        self.errors = collections.Counter()  # (step, status) → count
        self.samples: dict[tuple, list[str]] = collections.defaultdict(list)
        self.submitted: list[tuple[int, str]] = []
        self.started = 0
        self.last_submit = 0.0
        self.within = 0  # submissions answered before the deadline
        self.stopping = threading.Event()  # Ctrl-C: no new enterprise starts
        self.lock = threading.Lock()

    def _step(self, step, expected, *args, **kwargs):
        start = time.perf_counter()
        try:
            status, data = self.client.call(*args, **kwargs)
        except (OSError, http.client.HTTPException) as exc:
            raise Failed(step, type(exc).__name__, {"error": str(exc)}) from exc
        elapsed = (time.perf_counter() - start) * 1000
        if status != expected:
            raise Failed(step, status, data)
        with self.lock:
            self.times[step].append(elapsed)
        return data

    def one(self, n: int, token: str) -> None:
        if self.stopping.is_set() or time.perf_counter() > self.deadline:
            return  # bounded: no new enterprise starts once the load time is up
        with self.lock:
            self.started += 1
        try:
            body = {"policy_code": POLICY, "project_title": f"压测项目 {n}"}
            body["requested_amount"] = "120000.00"
            claim = self._step("create", 201, "POST", "/api/v1/claims", token, body)
            path = f"/api/v1/claims/{claim['id']}"
            for kind in self.kinds:
                pdf = PDF_BYTES + f"% rush claim {claim['id']} {kind}\n".encode()
                form, ctype = multipart({"kind": kind}, f"{kind}.pdf", pdf)
                self._step("upload", 201, "POST", f"{path}/attachments", token, form, ctype)
            # Each upload bumps the claim's version: read it back as a client would.
            fresh = self._step("read", 200, "GET", path, token)
            move = {"trigger": "submit", "version": fresh["version"]}
            self._step("submit", 200, "POST", f"{path}/transitions", token, move)
            with self.lock:
                self.submitted.append((claim["id"], token))
                self.last_submit = time.perf_counter()
                self.within += self.last_submit <= self.deadline
        except Failed as exc:
            with self.lock:
                self.errors[exc.key] += 1
                if len(self.samples[exc.key]) < SAMPLES:
                    self.samples[exc.key].append(str(exc))


# --- the server's side -----------------------------------------------------------------


def scrape(client: Client) -> str:
    status, raw = client.raw("GET", "/metrics")
    if status != 200:
        raise RuntimeError(f"/metrics answered {status}")
    return raw.decode()


SAMPLE_LINE = re.compile(r"^(\w+)(?:\{(.*)\})? (\S+)$")


def samples(text: str, metric: str) -> list[tuple[dict, float]]:
    found = []
    for line in text.splitlines():
        match = SAMPLE_LINE.match(line)
        if match and match.group(1) == metric:
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
            found.append((labels, float(match.group(3))))
    return found


def pending_notices(client: Client) -> int:
    return int(sum(v for _, v in samples(scrape(client), "approvals_notices_pending")))


def server_view(before: str, after: str) -> dict:
    """From two scrapes: answers by status class, and mean server time per URL rule (ms)."""

    def by(text, metric, key):
        out = collections.Counter()
        for labels, value in samples(text, metric):
            out[key(labels)] += value
        return out

    def status_class(labels):
        return labels.get("status", "?")[0] + "xx"

    statuses = by(after, "approvals_http_requests_total", status_class)
    statuses.subtract(by(before, "approvals_http_requests_total", status_class))
    rule = "approvals_http_request_duration_seconds_"
    sums = by(after, rule + "sum", lambda labels: labels.get("endpoint"))
    sums.subtract(by(before, rule + "sum", lambda labels: labels.get("endpoint")))
    counts = by(after, rule + "count", lambda labels: labels.get("endpoint"))
    counts.subtract(by(before, rule + "count", lambda labels: labels.get("endpoint")))
    means = {e: 1000 * sums[e] / n for e, n in counts.items() if n > 0 and e.startswith("/api/")}
    return {"statuses": {k: int(v) for k, v in statuses.items() if v}, "server_ms": means}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these live processes (/proc/<pid>/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot (/proc/stat), for a busy share."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def wait_for_receipts(client: Client, submitted, since: float) -> dict:
    """Wait until no notice is pending, then read every submitted claim once: it must hold
    its receipt, issued."""
    end = time.perf_counter() + DRAIN_LIMIT
    pending = pending_notices(client)
    while pending and time.perf_counter() < end:
        time.sleep(0.2)
        pending = pending_notices(client)
    issued_at = time.perf_counter()

    def has_receipt(item) -> bool:
        status, data = client.call("GET", f"/api/v1/claims/{item[0]}", item[1])
        notices = data.get("notices", []) if status == 200 else []
        return bool(notices) and all(n["status"] == "issued" for n in notices)

    with ThreadPoolExecutor(4) as pool:
        missing = sum(not ok for ok in pool.map(has_receipt, submitted))
    return {"issued": issued_at - since, "pending": pending, "missing": missing}


# --- one run ---------------------------------------------------------------------------


def wait_healthy(client: Client, processes, seconds: float = 60) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited during start-up: see its log")
        try:
            status, data = client.call("GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run(n: int, backend: str, queue: bool, template: tuple, args) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="approvals-rush-"))
    log = (folder / "server.log").open("w")
    port = free_port()
    env = {
        **args.env,
        "APPROVALS_STORAGE_DIR": str(folder / "storage"),
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus"),
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(args.workers),
    }
    if queue:
        env["CELERY_BROKER_URL"] = args.broker
        env["CELERY_QUEUE"] = f"approvals-rush-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    # prometheus_client needs the folder as soon as a process counts anything.
    Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir()
    prepared, tokens, kinds, statements = template
    database = server = worker = None
    try:
        database = prepared.copy(n, folder)
        env["DATABASE_URL"] = database.url
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "approvals:create_app()"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        if queue:
            # No gossip, mingle or heartbeat: the worker talks to nobody else on the broker.
            worker = subprocess.Popen(
                [str(VENV_BIN / "celery"), "-A", "approvals.worker", "worker",
                 f"--concurrency={args.render_workers}", "--loglevel=WARNING",
                 "-Q", env["CELERY_QUEUE"], "-n", f"rush-{os.getpid()}-{n}@%h",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        client = Client(port)
        wait_healthy(client, [p for p in (server, worker) if p is not None])
        baseline = pending_notices(client)
        if baseline:
            raise RuntimeError(f"{baseline} notices pending before the clock")

        before, db_before = scrape(client), database.stats()
        workers = children(server.pid)
        cpu_before = (cpu_seconds(workers), time.process_time(), machine_busy())
        say("load …")
        start = time.perf_counter()
        rush = Rush(client, kinds, start + args.seconds)
        pool = ThreadPoolExecutor(args.clients)
        try:
            for _ in pool.map(rush.one, range(len(tokens)), tokens):
                pass
        except KeyboardInterrupt:
            # gunicorn's quick shutdown: the requests in flight fail now instead of
            # finishing, and the threads waiting on them with them.
            for process in (server, worker):
                if process is not None and process.poll() is None:
                    process.send_signal(signal.SIGINT)
            raise
        finally:
            rush.stopping.set()
            pool.shutdown(wait=True, cancel_futures=True)
        end = time.perf_counter()
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during the load: see server.log (--keep)")
        busy, total = machine_busy()
        cpu = {
            "server": cpu_seconds(workers) - cpu_before[0],
            "client": time.process_time() - cpu_before[1],
            "busy": (busy - cpu_before[2][0]) / max(total - cpu_before[2][1], 1),
        }
        after, db_after = scrape(client), database.stats()
        load = (rush.last_submit if rush.submitted else end) - start
        ran_out = rush.started == len(tokens)
        # Over the whole rush, its ramp and its tail (those in flight at the deadline finish
        # with ever fewer clients) included; the notes also give the rate within the clock,
        # which with a short clock and slow answers undercounts instead.
        rate = len(rush.submitted) / load if load > 0 else 0.0
        receipts = wait_for_receipts(client, rush.submitted, start)
        return {
            "backend": backend,
            "mode": "queue" if queue else "inline",
            "clients": args.clients,
            "workers": args.workers,
            "kinds": len(kinds),
            "enterprises": len(tokens),
            "started": rush.started,
            "submissions": len(rush.submitted),
            "load": load,
            "ran_out": ran_out,
            "rate": rate,
            "within": rush.within / args.seconds,
            "errors": rush.errors,
            "samples": rush.samples,
            "times": rush.times,
            "receipts": receipts,
            "server": server_view(before, after),
            "statements": statements,
            "database": {k: db_after[k] - db_before.get(k, 0) for k in db_after},
            "cpu": cpu,
        }
    finally:
        say("stopping, dropping, removing")
        for process in (server, worker):
            try:
                stop(process)
            except Exception as exc:  # noqa: BLE001 — the rest must still be cleaned up
                say(f"could not stop {process.args[0]}: {exc}")
        log.close()
        if database is not None:
            try:
                database.drop()
            except Exception as exc:  # noqa: BLE001
                say(f"could not drop {database.url}: {exc}")
        if queue:
            _forget_queue(args.broker, env["CELERY_QUEUE"])
        if args.keep:
            say(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _forget_queue(broker: str, name: str) -> None:
    """Every key kombu made for this queue (its list, its exchange's binding sets): they
    all carry the queue's name, which is this run's own. Shared keys stay."""
    import redis

    try:
        store = redis.Redis.from_url(broker)
        keys = list(store.scan_iter(match=f"*{name}*"))
        if keys:
            store.delete(*keys)
    except redis.RedisError as exc:
        say(f"could not remove the queue {name}: {exc}")


# --- the table -------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def print_table(results: list[dict]) -> None:
    head = (
        "| backend | mode | submissions | submissions/s | 5xx | 4xx | other errors "
        "| create p50/p95 ms | upload p50/p95 ms | read p50/p95 ms | submit p50/p95 ms "
        "| all receipts issued s |"
    )
    print(head)
    print("|" + " --- |" * (head.count("|") - 1))
    for r in results:
        classes = collections.Counter()
        for (_step, status), count in r["errors"].items():
            classes[error_class(status)] += count
        cells = [
            r["backend"],
            r["mode"],
            f"{r['submissions']} / {r['started']}",
            f"{r['rate']:.1f}",
            str(classes["5xx"]),
            str(classes["4xx"]),
            str(classes["transport"]),
        ]
        for step in STEPS:
            times = r["times"][step]
            median = statistics.median(times) if times else float("nan")
            cells.append(f"{median:.0f} / {percentile(times, 0.95):.0f}")
        got = r["receipts"]
        problems = []
        if got["pending"]:
            problems.append(f"{got['pending']} still pending")
        if got["missing"]:
            problems.append(f"{got['missing']} claims without an issued receipt")
        cells.append(f"{got['issued']:.1f}" + (f" ({'; '.join(problems)})" if problems else ""))
        print("| " + " | ".join(cells) + " |")
    print()
    for r in results:
        name = f"{r['backend']}/{r['mode']}"
        if r["ran_out"]:
            ran = f"every enterprise had started; the last submit after {r['load']:.1f} s"
        else:
            ran = (
                f"the clock ran out ({r['within']:.1f} submissions/s within it); those in "
                f"flight had submitted after {r['load']:.1f} s"
            )
        cpu = r["cpu"]
        load = max(r["load"], 1e-9)
        print(
            f"- {name}: {r['workers']} gunicorn workers, {r['clients']} clients, "
            f"{r['kinds']} uploads per claim; {ran}. Machine "
            f"{100 * cpu['busy']:.0f} % busy; CPU per submission: gunicorn workers "
            f"{1000 * cpu['server'] / max(r['submissions'], 1):.0f} ms, this client "
            f"{1000 * cpu['client'] / max(r['submissions'], 1):.0f} ms "
            f"(workers {cpu['server'] / load:.2f} cores, client {cpu['client'] / load:.2f})."
        )
        statements = ", ".join(f"{s} {r['statements'].get(s, 0)}" for s in STEPS)
        print(f"  SQL statements per request (test client, one claim): {statements}.")
        server = r["server"]
        means = ", ".join(
            f"{e.removeprefix('/api/v1')} {ms:.0f}" for e, ms in server["server_ms"].items()
        )
        print(f"  Server's answers: {server['statuses']}; mean server time ms: {means}.")
        if r["database"]:
            per = max(r["submissions"], 1)
            db = r["database"]
            print(
                f"  PostgreSQL: {db['commits'] / per:.1f} commits and "
                f"{db['rollbacks'] / per:.1f} rollbacks per submission, "
                f"{db['deadlocks']} deadlocks."
            )
        for key, count in sorted(r["errors"].items(), key=str):
            print(f"  {count} × {key[0]} {key[1]} ({error_class(key[1])}), e.g.:")
            for sample in r["samples"][key]:
                print(f"    {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite", "both"), default="both")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--enterprises", type=int, default=600, help="one claim each: the most submissions"
    )
    parser.add_argument("--seconds", type=float, default=45.0, help="at most this much load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--queue", action="store_true", help="also run PostgreSQL with Celery")
    parser.add_argument("--render-workers", type=int, default=2, help="Celery's --concurrency")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    if not 0 < args.seconds <= 60:
        parser.error("--seconds: more than 0, at most 60")
    backends = ("postgresql", "sqlite") if args.backend == "both" else (args.backend,)
    plan = [(b, False) for b in backends]
    if args.queue:
        plan.append(("postgresql" if "postgresql" in backends else backends[0], True))
    say(
        f"{args.enterprises} enterprises, {args.clients} clients, at most {args.seconds:.0f} s"
        f" of load, gunicorn WEB_CONCURRENCY={args.workers}, {os.cpu_count()} cores"
    )
    # SIGTERM (a CI timeout) cleans up as Ctrl-C does; SIGINT too when started in the
    # background, where the shell hands it over ignored.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # Every process the bench starts reads this, and nothing of the caller's queue or Redis.
    args.env = {
        **os.environ,
        "SECRET_KEY": f"rush-{uuid.uuid4().hex}",
        # The claim routes count nothing; memory:// keeps the bench off any shared Redis db.
        "RATELIMIT_STORAGE_URI": "memory://",
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
    }
    for key in ("CELERY_BROKER_URL", "REDIS_URL", "CELERY_QUEUE", "METRICS_TOKEN"):
        args.env.pop(key, None)
    folder = Path(tempfile.mkdtemp(prefix="approvals-rush-templates-"))
    templates, results = {}, []
    try:
        for n, (backend, queue) in enumerate(plan):
            if backend not in templates:
                place = folder / backend
                place.mkdir()
                templates[backend] = prepare(backend, place, args.env, args.enterprises)
            say(f"{backend} {'queue' if queue else 'inline'} …")
            try:
                results.append(run(n, backend, queue, templates[backend], args))
            except (RuntimeError, OSError, http.client.HTTPException) as exc:
                say(f"{backend} {'queue' if queue else 'inline'} failed: {exc!r}")
    except KeyboardInterrupt:
        say("interrupted: cleaned up; the finished runs follow")
    finally:
        for database, *_ in templates.values():
            try:
                database.drop()
            except Exception as exc:  # noqa: BLE001
                say(f"could not drop {database.url}: {exc}")
        shutil.rmtree(folder, ignore_errors=True)
    if results:
        print_table(results)
    bad = any(r["errors"] or r["receipts"]["pending"] or r["receipts"]["missing"] for r in results)
    sys.exit(1 if bad or len(results) < len(plan) else 0)


if __name__ == "__main__":
    main()
