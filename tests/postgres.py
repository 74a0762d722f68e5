"""A PostgreSQL server for the tests: the one that answers, or a throwaway cluster.

Order: TEST_DATABASE_URL; the local server on 127.0.0.1:5432 (trust auth, as on our
machines and CI); else a cluster started from the installed binaries in a temporary
folder, stopped and removed when the tests end.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from contextlib import closing

import psycopg
from sqlalchemy.engine import make_url

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
