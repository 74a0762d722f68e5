"""Events, notices and ledger entries are written once: the ORM and the database refuse more."""

from decimal import Decimal

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from approvals.audit.append_only import AppendOnlyViolation, missing_triggers
from approvals.claims.models import ClaimEvent
from approvals.extensions import db
from approvals.finance.models import LedgerEntry
from approvals.notices.models import Notice, NoticeFile

RECORD = ("claim_events", "notices", "ledger_entries")
postgres_only = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


def _first(model):
    key = model.notice_id if model is NoticeFile else model.id
    return db.session.scalar(select(model).order_by(key))


def test_the_orm_refuses_to_update_the_record(seeded, claims):
    claims(1, to="approved")
    with seeded.app_context():
        for model, change in (
            (ClaimEvent, {"comment": "改过的意见"}),
            (Notice, {"facts": {"total_amount": "1.00"}}),
            (NoticeFile, {"sha256": "0" * 64}),
            (LedgerEntry, {"amount": Decimal("1.00")}),
        ):
            row = _first(model)
            for name, value in change.items():
                setattr(row, name, value)
            with pytest.raises(AppendOnlyViolation, match="append-only"):
                db.session.flush()
            db.session.rollback()


def test_the_orm_refuses_to_delete_the_record(seeded, claims):
    claims(1, to="approved")
    with seeded.app_context():
        for model in (ClaimEvent, NoticeFile, Notice, LedgerEntry):
            db.session.delete(_first(model))
            with pytest.raises(AppendOnlyViolation, match="delete refused"):
                db.session.flush()
            db.session.rollback()


def test_the_orm_refuses_bulk_changes_of_the_record(seeded, claims):
    claims(1, to="approved")
    with seeded.app_context():
        for statement in (update(ClaimEvent).values(comment="x"), delete(LedgerEntry)):
            with pytest.raises(AppendOnlyViolation, match="bulk change refused"):
                db.session.execute(statement)
            db.session.rollback()


@pytest.mark.parametrize("table", RECORD)
@pytest.mark.parametrize("statement", ["UPDATE {t} SET id = id", "DELETE FROM {t}"])
def test_the_database_refuses_update_and_delete_of_the_record(seeded, claims, table, statement):
    claims(1, to="approved")
    with seeded.app_context():
        with pytest.raises(DBAPIError, match=f"{table} is append-only"):
            db.session.execute(text(statement.format(t=table)))
        db.session.rollback()
        assert db.session.scalar(text(f"SELECT count(*) FROM {table}")) > 0


@postgres_only
@pytest.mark.parametrize("table", [*RECORD, "claims"])
def test_postgres_refuses_truncate_of_the_record(seeded, claims, table):
    """Also through CASCADE: truncating the claims would empty the record with them."""
    claims(1, to="approved")
    with seeded.app_context():
        with pytest.raises(DBAPIError, match="is append-only: TRUNCATE refused"):
            db.session.execute(text(f"TRUNCATE {table} CASCADE"))
        db.session.rollback()


def test_tables_made_by_create_all_carry_the_triggers(app):
    with app.app_context():
        assert missing_triggers(db.session.connection()) == []


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sqlite_connections_enforce_foreign_keys(app):
    with app.app_context():
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            db.session.execute(
                text(
                    "INSERT INTO notice_sequences (department_id, year, last)"
                    " VALUES (424242, 2026, 0)"
                )
            )
        db.session.rollback()
