"""Audit fixtures: claims driven through the one door, and a DBA's connection."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import text

from approvals.audit.append_only import create_triggers, drop_triggers
from approvals.extensions import db
from tests.finance.conftest import claims, fast_notices  # noqa: F401  (fixtures)


@contextmanager
def as_dba(app):
    """A connection that gets past the record's triggers and foreign keys, as a database
    administrator's would: PostgreSQL skips them for this transaction; on SQLite the
    triggers are dropped and put back afterwards, on a connection without foreign keys
    (the sqlite3 shell's default), which is then discarded."""
    with app.app_context():
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                yield conn
                return
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # before any write begins
            drop_triggers(conn)
            yield conn
            create_triggers(conn)
        db.engine.dispose()


def check_audit(app):
    """(exit code, output) of `flask check-audit`."""
    result = app.test_cli_runner().invoke(args=["check-audit"])
    return result.exit_code, result.output
