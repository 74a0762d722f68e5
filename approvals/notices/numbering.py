"""Notice numbers (发文字号): per issuing department and year, consecutive, never reused.

The counter row is incremented inside the transition's transaction: its row lock makes
concurrent transitions wait their turn, and a rolled-back transition gives its number back.
"""

from __future__ import annotations

import functools

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from approvals.extensions import db
from approvals.notices.models import NoticeSequence


def next_seq(department_id: int, year: int) -> int:
    """The department's next number of `year`, in one statement: the year's first notice
    creates the row, every later one increments it (an upsert that returns the value, so
    the row is locked and counted without a read before)."""
    statement = _upsert(db.session.get_bind().dialect.name)
    return db.session.execute(
        statement, {"department_id": department_id, "year": year}
    ).scalar_one()


@functools.cache
def _upsert(dialect: str):
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(NoticeSequence).values(
        department_id=bindparam("department_id"), year=bindparam("year"), last=1
    )
    return statement.on_conflict_do_update(
        index_elements=[NoticeSequence.department_id, NoticeSequence.year],
        set_={"last": NoticeSequence.last + 1},
    ).returning(NoticeSequence.last)


def format_number(prefix: str, year: int, seq: int) -> str:
    """经贸兑〔2026〕15号: year in 〔〕, sequence without leading zeros and without 第."""
    return f"{prefix}〔{year}〕{seq}号"
