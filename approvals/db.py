"""Declarative base with a constraint naming convention, and the service transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import DateTime, Engine, MetaData, Numeric, event
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Money: yuan with two decimal places, NUMERIC in every database, Decimal in Python.
Money = Numeric(14, 2, asdecimal=True)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime: store aware UTC times only")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    # The map lives on the registry: Flask-SQLAlchemy subclasses this base, and SQLAlchemy
    # 2.1 refuses a per-class type_annotation_map beside an inherited registry.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={Decimal: Money, datetime: UTCDateTime},
    )


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite keeps these per connection (WAL once per file): set them on every one.

    Foreign keys are checked only when asked. WAL lets readers and the one writer work at
    once, and with it synchronous=NORMAL is safe (a power cut may lose the last commits,
    never corrupt the file). An in-memory database has no WAL. The busy timeout is set
    when the connection opens (pysqlite's `timeout`, see `init_app`), before these.

    Transactions stay as pysqlite begins them: lazily, at the first write. No read
    snapshot is open then, so waiting for the write lock honours the busy timeout; an
    explicit BEGIN at the first read would make that upgrade fail at once with
    SQLITE_BUSY_SNAPSHOT, and BEGIN IMMEDIATE would make every request, reads included,
    queue for the single writer. Services write first and check after (claims/duplicates.py).
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        files = [row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"]
        if files and files[0]:  # "" for :memory: and temporary databases
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def init_app(app) -> None:
    """SQLite's busy timeout in the app's engine options; its pragmas on every SQLite
    connection, by a process-wide listener installed once."""
    # JSON columns (events' payloads and snapshots, notices' facts) hold Chinese text as
    # UTF-8, three bytes a character, not as \uXXXX escapes of six (issue 14: bytes per
    # claim). The audit chain hashes its own canonical form, whichever the column holds.
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("json_serializer", _json_text)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # pysqlite's `timeout` (seconds) is sqlite3_busy_timeout: the same setting as
        # PRAGMA busy_timeout, given as the connection opens, so that even the first
        # pragma waits for a busy file instead of failing.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def transaction() -> Iterator[None]:
    """One service call, one transaction: commit on success, roll back on any error."""
    # The app's Flask-SQLAlchemy (approvals.extensions.db), reached through the app so that
    # this module, below the extensions, imports none of them.
    session = current_app.extensions["sqlalchemy"].session
    # Inside another service's transaction (a timer firing a move through the door,
    # approvals/workflow/timers.py), this one joins it: the outer commits or rolls back all.
    if session.info.get(_OPEN):
        yield
        return
    session.info[_OPEN] = True
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        for forget in current_app.extensions.get(AFTER_ROLLBACK, ()):
            forget(session)
        raise
    finally:
        session.info.pop(_OPEN, None)
    # What waits for the commit (a notice's PDF, approvals/notices/outbox.py), in the
    # features' order; each in transactions of its own, after this one stands.
    for then in current_app.extensions.get(AFTER_COMMIT, ()):
        then(session)


_OPEN = "approvals.transaction_open"
AFTER_COMMIT = "approvals.after_commit"
AFTER_ROLLBACK = "approvals.after_rollback"


def on_commit(app, then, forget=None) -> None:
    """Register `then(session)` to run after every committed service transaction, and
    `forget(session)` after a rolled-back one."""
    app.extensions.setdefault(AFTER_COMMIT, []).append(then)
    if forget is not None:
        app.extensions.setdefault(AFTER_ROLLBACK, []).append(forget)
