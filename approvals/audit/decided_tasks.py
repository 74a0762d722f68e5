"""A decided review task is part of the record: the ORM refuses to change or remove it, and
so does the database.

An undecided task changes as it is taken and decided (assignee, status, version); once its
status is `done`, the row is the record of the decision (who, when, what, why) and stays as
it was, as the append-only tables do (append_only.py): the ORM guard refuses an update or
delete of such a row at flush, and triggers refuse UPDATE and DELETE of a done row on both
databases, and TRUNCATE of the table on PostgreSQL. The trigger DDL lives here, once: the
migration calls `create_triggers`, and tables made by `create_all()` get the same triggers
from an `after_create` listener.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from approvals.audit.append_only import AppendOnlyViolation, present_triggers
from approvals.workflow.models import ReviewTask

TABLE = ReviewTask.__tablename__
PG_FUNCTION = "review_tasks_keep_decided"
MESSAGE = f"{TABLE} is append-only once decided"

_PG_FUNCTION_DDL = f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION USING MESSAGE = '{TABLE} is append-only: TRUNCATE refused';
    END IF;
    IF OLD.status = 'done' THEN
        RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: ' || TG_OP || ' refused';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""


def trigger_names(dialect: str) -> tuple[str, ...]:
    if dialect == "postgresql":
        return (f"{TABLE}_keep_decided", f"{TABLE}_no_truncate")
    return (f"{TABLE}_decided_no_update", f"{TABLE}_decided_no_delete")


def create_triggers(connection) -> None:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        rows, truncate = trigger_names(dialect)
        connection.exec_driver_sql(_PG_FUNCTION_DDL)
        connection.exec_driver_sql(
            f"CREATE TRIGGER {rows} BEFORE UPDATE OR DELETE ON {TABLE}"
            f" FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"
        )
        connection.exec_driver_sql(
            f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {TABLE}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        )
        return
    for name, op in zip(trigger_names(dialect), ("UPDATE", "DELETE"), strict=True):
        connection.exec_driver_sql(
            f"CREATE TRIGGER {name} BEFORE {op} ON {TABLE} WHEN OLD.status = 'done'"
            f" BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} refused'); END"
        )


def drop_triggers(connection) -> None:
    dialect = connection.dialect.name
    on = f" ON {TABLE}" if dialect == "postgresql" else ""
    for name in trigger_names(dialect):
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}{on}")
    if dialect == "postgresql":
        connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")


def missing_triggers(connection) -> list[str]:
    """The triggers keeping decided tasks that are absent (or disabled, on PostgreSQL), as
    `flask check-audit` reports them beside the record's own."""
    present = present_triggers(connection)
    return [
        f"{TABLE}: trigger {name} is missing"
        for name in trigger_names(connection.dialect.name)
        if name not in present
    ]


def _after_create(table, connection, **kw) -> None:
    create_triggers(connection)


def _was_done(task: ReviewTask) -> bool:
    """Whether the row was decided as loaded, whatever its attributes say now."""
    history = inspect(task).attrs.status.history
    loaded = history.deleted or history.unchanged
    return bool(loaded) and loaded[0] == "done"


def _refuse_changes(session: Session, flush_context, instances) -> None:
    for row in session.deleted:
        if isinstance(row, ReviewTask) and _was_done(row):
            raise AppendOnlyViolation(f"{MESSAGE}: delete refused")
    for row in session.dirty:
        if (
            isinstance(row, ReviewTask)
            and _was_done(row)
            and session.is_modified(row, include_collections=False)
        ):
            raise AppendOnlyViolation(f"{MESSAGE}: update refused")


def install() -> None:
    """The triggers with every create_all() of the table, and the ORM guard on every
    session; process-wide, installed once by approvals.audit.init_app."""
    if not event.contains(ReviewTask.__table__, "after_create", _after_create):
        event.listen(ReviewTask.__table__, "after_create", _after_create)
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
