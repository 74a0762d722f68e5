"""免申即享 fixtures: the demo's proactive clause (经贸局's JMJ-PROACTIVE, a fixed 100,000 yuan,
20 working days to confirm), lists written as CSV or XLSX, and offers imported as
reviewer_jmj on a set clock."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.proactive.demo import CLAUSE
from tests.conftest import set_clock
from tests.web.conftest import web  # noqa: F401  (a fixture)

IMPORTER = "reviewer_jmj"
HEADER = ["统一社会信用代码", "企业名称", "符合条件事实", "金额"]
MONDAY = "2026-12-07T10:00"  # the offers are made on a Monday


def enterprise_of(username: str):
    return db.session.scalar(select(User).filter_by(username=username)).enterprise


def row_of(username: str, fact: str = "2026年度新认定为省级专精特新中小企业", amount=""):
    enterprise = enterprise_of(username)
    return [enterprise.credit_code, enterprise.name, fact, amount]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    lines = [",".join(HEADER), *(",".join(str(c) for c in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def imported(seeded):
    """imported(rows, filename="list.csv", clause=CLAUSE, data=None) → the import record
    (detached), made as reviewer_jmj at MONDAY; `rows` as row_of() gives them."""
    from approvals.proactive.importing import import_list

    def make(rows=(), filename="list.csv", clause=CLAUSE, data=None):
        set_clock(seeded, MONDAY)
        with seeded.app_context():
            actor = db.session.scalar(select(User).filter_by(username=IMPORTER))
            body = data if data is not None else csv_bytes(rows)
            done = import_list(actor, clause, filename, body)
            assert isinstance(done.rejected, list)  # loaded before it is detached
            offers = [(o.claim_id, o.row_number) for o in done.offers]
            db.session.expunge(done)
            return done, offers

    make.app = seeded
    return make


@pytest.fixture
def offered(imported):
    """offered(username) → the id of the claim offered to that enterprise."""

    def make(username: str) -> int:
        with imported.app.app_context():
            rows = [row_of(username)]
        done, offers = imported(rows)
        assert done.offered == 1, done.rejected
        return offers[0][0]

    return make


def claim_state(app, claim_id: int) -> str:
    with app.app_context():
        return db.session.get(Claim, claim_id).state
