"""`flask check-audit` names a missing trigger that keeps decided review tasks, as it names
the record's own: without one, a decided task's row can be edited or removed.

The triggers are dropped in the test's own transaction: on PostgreSQL, DDL is transactional,
so the rollback at the test's end puts them back (a committed drop would outlive the test
in the session's database); on SQLite each test has a database file of its own.
"""

import pytest
from sqlalchemy import text

from approvals.audit import decided_tasks
from approvals.extensions import db
from tests.audit.conftest import check_audit

postgres_only = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _task_breaks(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("BREAK review_tasks")]


def test_a_clean_database_reports_no_missing_trigger(seeded):
    with seeded.app_context():
        assert decided_tasks.missing_triggers(db.session.connection()) == []
    code, output = check_audit(seeded)
    assert code == 0, output
    assert "BREAK" not in output


@pytest.mark.parametrize("which", [0, 1])
def test_a_dropped_review_task_trigger_is_reported(seeded, which):
    with seeded.app_context():
        dialect = db.session.connection().dialect.name
        name = decided_tasks.trigger_names(dialect)[which]
        on = f" ON {decided_tasks.TABLE}" if dialect == "postgresql" else ""
        db.session.execute(text(f"DROP TRIGGER {name}{on}"))
        db.session.commit()
    code, output = check_audit(seeded)
    assert code == 1
    assert _task_breaks(output) == [f"BREAK review_tasks: trigger {name} is missing"]


@postgres_only
def test_a_disabled_review_task_trigger_is_reported(seeded):
    name = decided_tasks.trigger_names("postgresql")[0]
    with seeded.app_context():
        db.session.execute(text(f"ALTER TABLE review_tasks DISABLE TRIGGER {name}"))
        db.session.commit()
    code, output = check_audit(seeded)
    assert code == 1
    assert _task_breaks(output) == [f"BREAK review_tasks: trigger {name} is missing"]
