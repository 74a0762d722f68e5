"""A PostgreSQL server for the tests, and the two ways a test leaves its database clean.

Server: TEST_DATABASE_URL; the local server on 127.0.0.1:5432 (trust auth, as on our
machines and CI); else a cluster started from the installed binaries in a temporary
folder, stopped and removed when the tests end.

Clean: a test runs inside one transaction that is rolled back (`rolled_back`), unless it
is marked `committed` (threads, a second connection): then its tables are emptied after it
(`truncate_all`).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager

import psycopg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from approvals.extensions import db

LOCAL_CANDIDATES = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def answers(url: str) -> bool:
    try:
        with closing(psycopg.connect(_libpq(url), connect_timeout=3)):
            return True
    except psycopg.Error:
        return False


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Throwaway:
    """initdb + pg_ctl in a temporary folder, as the postgres user when we are root."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        initdb = bins[-1] if bins else shutil.which("initdb")
        if not initdb:
            raise RuntimeError(
                "No PostgreSQL server answers and no initdb is installed: run `make test` "
                "(it installs the postgresql package) or set TEST_DATABASE_URL."
            )
        self.bin = os.path.dirname(initdb)
        self.dir = tempfile.mkdtemp(prefix="approvals-pg-")
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run(self.prefix + list(args), check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        data = os.path.join(self.dir, "data")
        self._run(f"{self.bin}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            f"{self.bin}/pg_ctl",
            "-D",
            data,
            "-o",
            options,
            "-l",
            os.path.join(self.dir, "log"),
            "-w",
            "start",
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._run(
                f"{self.bin}/pg_ctl",
                "-D",
                os.path.join(self.dir, "data"),
                "-m",
                "immediate",
                "stop",
            )
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class TestDatabase:
    """A database of our own on the chosen server, dropped at the end."""

    def __init__(self):
        self.cluster: Throwaway | None = None
        url = os.environ.get("TEST_DATABASE_URL")
        if not url and not os.environ.get("APPROVALS_FORCE_THROWAWAY_PG"):
            url = next((u for u in LOCAL_CANDIDATES if answers(u)), None)
        if not url:
            self.cluster = Throwaway()
            url = self.cluster.start()
        self.server_url = url
        self.created: list[str] = []

    def create(self, label: str = "t") -> str:
        name = f"approvals_{label}_{uuid.uuid4().hex[:10]}"
        try:
            with closing(psycopg.connect(_libpq(self.server_url), autocommit=True)) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error:
            return self.server_url  # no right to create databases: use the one given
        self.created.append(name)
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def close(self) -> None:
        try:
            with closing(psycopg.connect(_libpq(self.server_url), autocommit=True)) as conn:
                for name in self.created:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error:
            pass
        if self.cluster is not None:
            self.cluster.stop()


# Isolation of one test -----------------------------------------------------------------

ONE_CONNECTION = (
    "this PostgreSQL test runs on one connection inside one transaction that is rolled back"
    " at its end, so {what}: mark the test @pytest.mark.committed"
)


def _same_thread(owner: int):
    def check(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() != owner:
            raise RuntimeError(ONE_CONNECTION.format(what="no other thread may use it"))

    return check


@contextmanager
def rolled_back(app) -> Iterator[None]:
    """Every session of `app` works on one connection, inside one transaction rolled back
    at the end, so nothing the test did is ever committed and nothing needs cleaning.

    Flask-SQLAlchemy looks each session's bind up in the app's engines, so the connection
    takes the engine's place there; the sessions join its transaction with
    join_transaction_mode="create_savepoint": `commit()` in the app (approvals.db
    `transaction()`) releases a savepoint and `rollback()` rolls back to it, as the real
    thing would, while the outer transaction stays open. Meanwhile `db.engine` is that
    connection: `db.engine.begin()`/`connect()` do not work (a second connection would not
    see the test's rows), nor may another thread use it; such tests are marked `committed`.
    """
    factory = db.session.session_factory
    with app.app_context():
        engines = db.engines  # the app's own mapping, read by every session's get_bind
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        event.listen(connection, "before_cursor_execute", _same_thread(threading.get_ident()))
        engines[None] = connection
    factory.kw["join_transaction_mode"] = "create_savepoint"
    try:
        yield
    finally:
        factory.kw.pop("join_transaction_mode", None)
        with app.app_context():
            db.session.remove()
            engines[None] = engine
            try:
                if outer.is_active:
                    outer.rollback()
            finally:
                connection.close()
                engine.dispose()


def truncate_all(app) -> None:
    """Empty every table and restart its ids, after a test that committed for real."""
    with app.app_context():
        db.session.remove()
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            # The record refuses TRUNCATE (approvals/audit/append_only.py): bypass its
            # triggers in this transaction only, as a DBA would.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()
