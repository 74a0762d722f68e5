"""Declarative base with a constraint naming convention, and the service transaction."""

from __future__ import annotations

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


def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite checks foreign keys only when asked, per connection: ask on every one."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def init_app(app) -> None:
    """Foreign keys on every SQLite connection; a process-wide listener, installed once."""
    if not event.contains(Engine, "connect", _sqlite_foreign_keys):
        event.listen(Engine, "connect", _sqlite_foreign_keys)


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextmanager
def transaction() -> Iterator[None]:
    """One service call, one transaction: commit on success, roll back on any error."""
    # The app's Flask-SQLAlchemy (approvals.extensions.db), reached through the app so that
    # this module, below the extensions, imports none of them.
    session = current_app.extensions["sqlalchemy"].session
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise
