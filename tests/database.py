"""What each test's database starts from, laid once per worker instead of once per test.

The schema (create_all) and the demo seed (approvals/demo.py) cost ~0.4 s, and some 1,350
of the suite's tests start from them. So each worker (a pytest-xdist process) lays them
once and every test starts from a copy, still in a database of its own:

- SQLite: two template files, the schema alone and the schema with the demo seed; a test's
  database file is a copy of one (the sqlite3 backup API, a few milliseconds).
- PostgreSQL: two databases of the worker's, the schema alone and the schema with the demo
  seed, both committed; a test runs inside one transaction rolled back at its end
  (tests/postgres.py `rolled_back`). A `committed` test writes for real, so after it the
  tables are emptied and the seed is laid again.

The demo's call windows are counted from the day it is seeded: a run that passes midnight
(Beijing time) lays its templates again, as a test seeding for itself would see that day.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path

from flask import Flask

from approvals.clock import LOCAL
from approvals.db import utcnow
from approvals.extensions import db
from tests.postgres import TestDatabase, truncate_all

MakeApp = Callable[[str], Flask]


def demo_day() -> date:
    return utcnow().astimezone(LOCAL).date()


def lay(app: Flask, demo: dict | None) -> None:
    """The schema, and the demo seed when `demo` is given, committed."""
    from approvals.demo import seed  # it imports half the application

    with app.app_context():
        db.create_all()
        if demo is not None:
            seed(demo)
        db.session.remove()
        db.engine.dispose()


class SqliteTemplates:
    """A worker's template files, made when first asked for."""

    def __init__(self, folder: Path, make_app: MakeApp, demo: dict):
        self.folder, self.make_app, self.demo = folder, make_app, demo
        self.files: dict[tuple[bool, date], Path] = {}

    def copy(self, path: Path, *, seeded: bool) -> None:
        """Write the schema (and the demo seed when `seeded`) into a new file at `path`."""
        template = self._template(seeded)
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
            source.backup(copy)

    def _template(self, seeded: bool) -> Path:
        key = (seeded, demo_day())
        if key not in self.files:
            path = self.folder / f"{'demo' if seeded else 'schema'}-{key[1]}.sqlite3"
            lay(self.make_app(f"sqlite:///{path}"), self.demo if seeded else None)
            self.files[key] = path
        return self.files[key]


class PostgresBaselines:
    """A worker's two PostgreSQL databases, made when first asked for."""

    def __init__(self, server: TestDatabase, make_app: MakeApp, demo: dict):
        self.server, self.make_app, self.demo = server, make_app, demo
        self.urls: dict[bool, str] = {}
        self.seeded_on: date | None = None

    def url(self, *, seeded: bool) -> str:
        """The database a test starts in, as every test before it left it."""
        if seeded not in self.urls:
            url = self.server.create("demo" if seeded else "suite")
            lay(self.make_app(url), self.demo if seeded else None)
            self.urls[seeded] = url
            if seeded:
                self.seeded_on = demo_day()
        elif seeded and self.seeded_on != demo_day():
            self.restore(self.make_app(self.urls[True]), seeded=True)
        return self.urls[seeded]

    def restore(self, app: Flask, *, seeded: bool) -> None:
        """After a test that committed for real: empty every table, then seed again."""
        truncate_all(app)
        if seeded:
            lay(app, self.demo)
            self.seeded_on = demo_day()
