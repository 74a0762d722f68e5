"""Migrations build the schema from nothing, on SQLite and PostgreSQL, and match the models."""

from alembic import command
from sqlalchemy import inspect

from approvals import create_app
from approvals.extensions import db
from tests.conftest import base_config


def test_upgrade_empty_database_to_head_matches_models(request, backend, tmp_path):
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_empty")
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    app = create_app(base_config(tmp_path, url))
    with app.app_context():
        try:
            config = app.extensions["migrate"].migrate.get_config()
            command.upgrade(config, "head")
            tables = set(inspect(db.engine).get_table_names())
            assert {"claims", "claim_events", "notices", "policies", "users"} <= tables
            command.check(config)  # raises when models and migrations disagree
            command.downgrade(config, "base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        finally:
            db.engine.dispose()
