"""Notice numbers (发文字号): per issuing department and year, consecutive, never reused.

The counter row is incremented inside the transition's transaction: its row lock makes
concurrent transitions wait their turn, and a rolled-back transition gives its number back.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from approvals.extensions import db
from approvals.notices.models import NoticeSequence


def next_seq(department_id: int, year: int) -> int:
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(NoticeSequence)
        .values(department_id=department_id, year=year, last=0)
        .on_conflict_do_nothing()
    )
    return db.session.execute(
        update(NoticeSequence)
        .where(NoticeSequence.department_id == department_id, NoticeSequence.year == year)
        .values(last=NoticeSequence.last + 1)
        .returning(NoticeSequence.last)
    ).scalar_one()


def format_number(prefix: str, year: int, seq: int) -> str:
    """经贸兑〔2026〕15号: year in 〔〕, sequence without leading zeros and without 第."""
    return f"{prefix}〔{year}〕{seq}号"
