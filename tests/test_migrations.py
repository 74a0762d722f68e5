"""Migrations build the schema from nothing, on SQLite and PostgreSQL, and match the models."""

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import inspect, text

from approvals import create_app
from approvals.audit import append_only, decided_tasks
from approvals.claims import counts
from approvals.extensions import db
from tests.conftest import base_config


@contextmanager
def empty_database(request, backend, tmp_path) -> Iterator[object]:
    """An app on a new, empty database of `backend`; yields the Alembic config."""
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_empty")
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(base_config(tmp_path, url))
    with app.app_context():
        try:
            yield app.extensions["migrate"].migrate.get_config()
        finally:
            db.engine.dispose()


def test_upgrade_empty_database_to_head_matches_models(request, backend, tmp_path):
    with empty_database(request, backend, tmp_path) as config:
        command.upgrade(config, "head")
        tables = set(inspect(db.engine).get_table_names())
        assert {"claims", "claim_events", "notices", "policies", "users"} <= tables
        command.check(config)  # raises when models and migrations disagree
        # A migration that rebuilds a table on SQLite must make its triggers again.
        with db.engine.connect() as conn:
            assert append_only.missing_triggers(conn) == []
            assert decided_tasks.missing_triggers(conn) == []
            assert counts.missing_triggers(conn) == []
            # The slot's modulo reached the database as one sign, whichever driver's escaping.
            definition = conn.scalar(
                text("SELECT prosrc FROM pg_proc WHERE proname = 'claim_counts_follow'")
                if backend == "postgresql"
                else text("SELECT sql FROM sqlite_master WHERE name = 'claim_counts_insert'")
            )
            assert "id % 16" in definition, definition
            if backend == "postgresql":  # vacuumed after 1,000 changes, not a fifth of it
                options = conn.scalar(
                    text("SELECT reloptions FROM pg_class WHERE relname = 'claim_counts'")
                )
                assert "autovacuum_vacuum_threshold=1000" in options, options
        command.downgrade(config, "base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


BEFORE_0004 = (
    "INSERT INTO departments (id, code, name, name_en, notice_prefix)"
    " VALUES (1, 'CZJ', '市财政局', '', '财兑')",
    "INSERT INTO users (id, username, password_hash, display_name, role, department_id,"
    " active, created_at) VALUES (1, 'f', 'x', 'f', 'finance', 1, true, '2027-03-01 00:00+00')",
    "INSERT INTO batches (id, year, seq, state, note, created_by_id, created_at, confirmed_at,"
    " scaling, list_number, list_sha256, list_pdf) VALUES (1, 2027, 1, 'confirmed', '', 1,"
    " '2027-03-01 00:00+00', '2027-03-02 00:00+00', '{}', '财兑〔2027〕7号', 'abc', :pdf)",
)


def test_batch_lists_move_into_notices_and_back(request, backend, tmp_path):
    """0004 moves an issued batch list from its batch row into notices, losing nothing."""
    pdf = b"%PDF-1.7 list"
    with empty_database(request, backend, tmp_path) as config:
        command.upgrade(config, "0003_web")
        with db.engine.begin() as conn:
            for statement in BEFORE_0004:
                conn.execute(text(statement), {"pdf": pdf})
        command.upgrade(config, "head")
        with db.engine.connect() as conn:
            row = conn.execute(
                # the PDF in its own table since 0018
                text(
                    "SELECT kind, year, seq, number, f.pdf, batch_id"
                    " FROM notices JOIN notice_files f ON f.notice_id = notices.id"
                )
            ).one()
        assert tuple(row[:4]) == ("batch_list", 2027, 7, "财兑〔2027〕7号")
        assert bytes(row[4]) == pdf and row[5] == 1
        command.downgrade(config, "0003_web")
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT list_number, list_pdf FROM batches")).one()
        assert back[0] == "财兑〔2027〕7号" and bytes(back[1]) == pdf
