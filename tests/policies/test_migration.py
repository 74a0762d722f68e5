"""Migration 0014 writes version 1 of every clause from its terms, and files every existing
claim under it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import command
from sqlalchemy import inspect, text

from approvals.extensions import db
from tests.test_migrations import empty_database

NOW = datetime(2026, 11, 1, tzinfo=UTC)
# What a row needs beyond the values given: a plain value of each column's type.
FILLERS = (
    (sa.Boolean, False),
    (sa.Integer, 1),
    (sa.Numeric, Decimal("1000.00")),
    (sa.DateTime, NOW),
    (sa.Date, date(2026, 11, 1)),
    (sa.JSON, []),
    (sa.String, "x"),
    (sa.Text, "x"),
)


def _insert(conn, table_name: str, **values) -> None:
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None:
            continue
        if column.primary_key:
            continue
        row[column.name] = next(v for t, v in FILLERS if isinstance(column.type, t))
    conn.execute(table.insert().values(**row))


def test_existing_clauses_get_version_1_and_their_claims_keep_it(request, backend, tmp_path):
    with empty_database(request, backend, tmp_path) as config:
        command.upgrade(config, "0013_recognition_forms")
        with db.engine.begin() as conn:
            _insert(conn, "departments", id=1, code="JMJ", name="经贸局")
            _insert(conn, "users", id=1, username="u", role="finance", department_id=1, active=True)
            _insert(conn, "enterprises", id=1, credit_code="91330100MB0000001")
            _insert(
                conn,
                "policies",
                id=1,
                code="JMJ-OLD",
                title_zh="旧条款",
                department_id=1,
                funding_type="grant",
                cap=Decimal("300000.00"),
                call_year=2026,
                window_open=date(2026, 9, 1),
                window_close=date(2026, 9, 30),
                required_evidence=["business_licence"],
                basis_clause="第二条",
                amount_rule={"type": "fixed", "amount": "5000"},
            )
            _insert(
                conn,
                "claims",
                id=1,
                workflow="enterprise_claim",
                policy_id=1,
                department_id=1,
                enterprise_id=1,
                created_by_id=1,
                state="draft",
                requested_amount=Decimal("5000.00"),
            )
        command.upgrade(config, "0014_policy_versions")
        with db.engine.connect() as conn:
            version = conn.execute(
                text(
                    "SELECT policy_id, version, cap, basis_clause, title_zh, created_by_id"
                    " FROM policy_versions"
                )
            ).one()
            assert tuple(version) == (1, 1, Decimal("300000.00"), "第二条", "旧条款", None)
            assert conn.execute(text("SELECT version FROM policies")).scalar_one() == 1
            assert conn.execute(text("SELECT policy_version FROM claims")).scalar_one() == 1
        command.downgrade(config, "0013_recognition_forms")
        assert "policy_versions" not in inspect(db.engine).get_table_names()
