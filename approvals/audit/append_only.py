"""The record is append-only: the ORM refuses changes, and so does the database.

`claim_events`, `notices`, `notice_files` and `ledger_entries` are written once. The ORM
guard refuses an update or delete of such a row at flush (and an ORM bulk UPDATE or DELETE
of the table);
database triggers refuse UPDATE, DELETE and TRUNCATE on PostgreSQL and UPDATE and DELETE
on SQLite (which has no TRUNCATE), so raw SQL is refused too. A correction is a new row
(an event, a notice, a correcting entry), never an edit.

The trigger DDL lives here, once: the migration calls `create_triggers`, and tables made
by `create_all()` (the tests) get the same triggers from an `after_create` listener.
Someone with the rights to drop or disable triggers can still edit rows: the hash chains
(`approvals.audit.chain`) and `flask check-audit` are what catch that.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from approvals.claims.models import ClaimEvent
from approvals.finance.models import LedgerEntry
from approvals.notices.models import Notice, NoticeFile

APPEND_ONLY_MODELS = (ClaimEvent, Notice, NoticeFile, LedgerEntry)
TABLES = tuple(model.__tablename__ for model in APPEND_ONLY_MODELS)
PG_FUNCTION = "audit_refuse_change"


class AppendOnlyViolation(RuntimeError):
    """An attempt to change or remove a row of the record."""


# Database triggers ----------------------------------------------------------------------

_PG_FUNCTION_DDL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql
"""


def trigger_names(table: str, dialect: str) -> tuple[str, ...]:
    if dialect == "postgresql":
        return (f"{table}_append_only", f"{table}_no_truncate")
    return (f"{table}_no_update", f"{table}_no_delete")


def _table_ddl(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        rows, truncate = trigger_names(table, dialect)
        return [
            f"CREATE TRIGGER {rows} BEFORE UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
        ]
    return [
        f"CREATE TRIGGER {name} BEFORE {op} ON {table}"
        f" BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
        for name, op in zip(trigger_names(table, dialect), ("UPDATE", "DELETE"), strict=True)
    ]


def create_triggers(connection, tables=TABLES) -> None:
    """Install the refusing triggers on `tables` (PostgreSQL or SQLite)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.exec_driver_sql(_PG_FUNCTION_DDL)
    for table in tables:
        for statement in _table_ddl(table, dialect):
            connection.exec_driver_sql(statement)


def drop_triggers(connection, tables=TABLES) -> None:
    dialect = connection.dialect.name
    for table in tables:
        for name in trigger_names(table, dialect):
            on = f" ON {table}" if dialect == "postgresql" else ""
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{on}")
    if dialect == "postgresql":
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")


def present_triggers(connection) -> set[str]:
    """The names of the database's triggers that exist and fire (PostgreSQL can disable one)."""
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return set(connection.scalars(text(query)))


def missing_triggers(connection) -> list[str]:
    """Triggers of the record that are absent (or disabled, on PostgreSQL); those keeping
    decided review tasks are decided_tasks.py's to name."""
    dialect = connection.dialect.name
    present = present_triggers(connection)
    return [
        f"{table}: trigger {name} is missing"
        for table in TABLES
        for name in trigger_names(table, dialect)
        if name not in present
    ]


def _after_create(table, connection, **kw) -> None:
    create_triggers(connection, (table.name,))


# The ORM guard --------------------------------------------------------------------------


def _refuse_changes(session: Session, flush_context, instances) -> None:
    for row in session.deleted:
        if isinstance(row, APPEND_ONLY_MODELS):
            raise AppendOnlyViolation(f"{row.__tablename__} are append-only: delete refused")
    for row in session.dirty:
        if isinstance(row, APPEND_ONLY_MODELS) and session.is_modified(
            row, include_collections=False
        ):
            raise AppendOnlyViolation(
                f"{row.__tablename__} are append-only: add a correcting row instead of an update"
            )


def _refuse_bulk_changes(state) -> None:
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper and mapper.class_ in APPEND_ONLY_MODELS:
        table = mapper.class_.__tablename__
        raise AppendOnlyViolation(f"{table} are append-only: bulk change refused")


def install() -> None:
    """The triggers with every create_all() of these tables, and the ORM guard on every
    session. Listeners are process-wide: installed once, by approvals.audit.init_app."""
    for model in APPEND_ONLY_MODELS:
        if not event.contains(model.__table__, "after_create", _after_create):
            event.listen(model.__table__, "after_create", _after_create)
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
        event.listen(Session, "do_orm_execute", _refuse_bulk_changes)
