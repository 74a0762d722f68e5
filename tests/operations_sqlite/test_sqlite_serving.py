"""SQLite, the embedded default, serves many writers at once: WAL, a busy timeout, foreign
keys on every connection, and no "database is locked" when enterprises submit together."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from approvals import create_app
from approvals.claims.models import Claim
from approvals.extensions import db
from tests.conftest import PASSWORD, base_config
from tests.threads import at_once

SQLITE = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def pragmas(app) -> dict:
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            return {
                name: connection.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
            }
        finally:
            connection.close()
            db.engine.dispose()


def test_a_file_database_runs_in_wal_with_the_configured_busy_timeout(sqlite_templates, tmp_path):
    path = tmp_path / "served.sqlite3"
    sqlite_templates.copy(path, seeded=False)
    config = base_config(tmp_path, f"sqlite:///{path}") | {"SQLITE_BUSY_TIMEOUT_MS": 7000}
    found = pragmas(create_app(config))
    # synchronous 1 is NORMAL
    assert found == {
        "journal_mode": "wal",
        "busy_timeout": 7000,
        "foreign_keys": 1,
        "synchronous": 1,
    }


@SQLITE
def test_the_busy_timeout_defaults_to_15_seconds(app):
    assert pragmas(app)["busy_timeout"] == 15000


def test_an_in_memory_database_keeps_foreign_keys_and_has_no_wal(tmp_path):
    found = pragmas(create_app(base_config(tmp_path, "sqlite://")))
    assert found["journal_mode"] == "memory" and found["foreign_keys"] == 1


@SQLITE
def test_eight_enterprises_submitting_at_once_are_all_recorded(seeded, make_enterprise):
    tokens = []
    client = seeded.test_client()
    for _ in range(8):
        res = client.post(
            "/api/v1/auth/token", json={"username": make_enterprise(), "password": PASSWORD}
        )
        tokens.append(res.json["token"])

    def file_and_submit(token):
        def run():
            from tests.conftest import ApiClient

            ent = ApiClient(seeded.test_client(), token)
            claim = ent.create_claim()
            for kind in ("business_licence", "project_plan"):
                res = ent.attach(claim["id"], kind)
                assert res.status_code == 201, res.json
            res = ent.fire(claim["id"], "submit")
            assert res.status_code == 200, res.json
            return res.json["state"]

        return run

    results = at_once(seeded, [file_and_submit(t) for t in tokens])
    assert results == ["submitted"] * 8, results
    with seeded.app_context():
        submitted = select(func.count()).select_from(Claim).filter_by(state="submitted")
        assert db.session.scalar(submitted) == 8
