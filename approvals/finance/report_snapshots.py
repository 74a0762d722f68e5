"""The reports page from a snapshot of its tables, recomputed when the data under it changed.

Why: the tables are grouped SQL (approvals/finance/reports.py), but at a million claims
their grouping and the stage times' window over every event take tens of seconds; a page
an official opens must not. So the tables are kept, computed once, in `report_snapshots`,
with the *watermark* of the data they were computed from: the highest id and the count of
the rows they read (claims, events, ledger entries, batch items, recoveries, policy
versions), a handful of index lookups. Any claim moved, paid, batched or repaid since
changes the watermark.

- The watermark unchanged and the snapshot younger than `REPORT_SNAPSHOT_MAX_AGE` (a
  renamed department or clause changes no watermark): the snapshot is the answer.
- Changed, with a task queue configured: the worker recomputes it (job
  `finance.refresh_reports`, asked at most once a minute) and the page shows the previous
  snapshot, saying when it was computed and that it is being updated.
- Changed, with no queue (the embedded default, small databases): recomputed here and now.

`flask --app approvals refresh-reports` recomputes it for cron. Every page says what time
its figures are from.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from approvals.claims.counts import ClaimCount
from approvals.claims.models import Claim, ClaimEvent
from approvals.db import utcnow
from approvals.extensions import db
from approvals.finance import reports
from approvals.finance.models import BatchItem, LedgerEntry, Recovery, ReportSnapshot
from approvals.policies.models import PolicyVersion

REFRESH_JOB = "finance.refresh_reports"
ALL = "all"  # the one row: every table of the page, computed together
ASK_AGAIN = timedelta(minutes=1)  # a stale page asks the worker at most this often


class Report(NamedTuple):
    tables: list[reports.Table]
    computed_at: datetime
    updating: bool  # older than the data: a worker is recomputing it


def watermark() -> str:
    """What the tables were computed from, in a few index lookups: any change to it means
    the data moved. Claims are counted from their kept counts (claim_counts)."""
    parts = [
        select(func.max(Claim.id)),
        select(func.coalesce(func.sum(ClaimCount.claims), 0)),
        select(func.max(ClaimEvent.id)),
        select(func.max(LedgerEntry.id)),
        select(func.max(BatchItem.id)),
        select(func.count()).select_from(BatchItem),  # an item taken out of a batch
        select(func.max(Recovery.id)),
        select(func.max(PolicyVersion.id)),
    ]
    row = db.session.execute(select(*(p.scalar_subquery() for p in parts))).one()
    return ".".join("-" if v is None else str(v) for v in row)


# Cells as JSON keeps them: a Decimal (money, hours) as its text, tagged to come back.
def _cell(value):
    return {"d": str(value)} if isinstance(value, Decimal) else value


def _uncell(value):
    return Decimal(value["d"]) if isinstance(value, dict) else value


def _encode(tables: list[reports.Table]) -> list[dict]:
    return [{**asdict(t), "rows": [[_cell(v) for v in row] for row in t.rows]} for t in tables]


def _decode(stored: list[dict]) -> list[reports.Table]:
    return [
        reports.Table(**{**t, "rows": [[_uncell(v) for v in row] for row in t["rows"]]})
        for t in stored
    ]


def refresh(mark: str | None = None) -> ReportSnapshot:
    """Compute every table now and keep them; committed."""
    mark = mark or watermark()
    started = utcnow()
    tables = reports.all_tables()
    now = utcnow()
    values = {
        "watermark": mark,
        "computed_at": now,
        "seconds": (now - started).total_seconds(),
        "tables": _encode(tables),
        "asked_at": None,
    }
    snapshot = db.session.get(ReportSnapshot, ALL)
    if snapshot is None:
        snapshot = ReportSnapshot(key=ALL, **values)
        db.session.add(snapshot)
    else:
        for name, value in values.items():
            setattr(snapshot, name, value)
    try:
        db.session.commit()
    except IntegrityError:  # computed at the same moment by another process: theirs stands
        db.session.rollback()
        snapshot = db.session.get(ReportSnapshot, ALL)
    return snapshot


def refresh_job() -> None:
    """The worker's job: recompute unless the snapshot is already current."""
    snapshot = db.session.get(ReportSnapshot, ALL)
    mark = watermark()
    if snapshot is None or snapshot.watermark != mark:
        refresh(mark)


def _max_age() -> timedelta:
    return timedelta(seconds=current_app.config["REPORT_SNAPSHOT_MAX_AGE"])


def _ask_worker(snapshot: ReportSnapshot, now: datetime) -> bool:
    """Hand the refresh to the worker (once a minute at most); False without a queue."""
    if not current_app.config.get("CELERY_BROKER_URL"):
        return False
    if snapshot.asked_at is not None and now - snapshot.asked_at < ASK_AGAIN:
        return True
    from approvals.worker import enqueue

    if not enqueue(REFRESH_JOB):
        return False
    snapshot.asked_at = now
    db.session.commit()
    return True


def current() -> Report:
    """The tables for the page: the snapshot when the data has not moved since, else the
    previous one while the worker recomputes it, else computed now."""
    mark = watermark()
    snapshot = db.session.get(ReportSnapshot, ALL)
    now = utcnow()
    if snapshot is not None:
        fresh = now - snapshot.computed_at < _max_age()
        if snapshot.watermark == mark and fresh:
            return Report(_decode(snapshot.tables), snapshot.computed_at, False)
        if _ask_worker(snapshot, now):
            return Report(_decode(snapshot.tables), snapshot.computed_at, True)
    snapshot = refresh(mark)
    return Report(_decode(snapshot.tables), snapshot.computed_at, False)


def table(key: str) -> reports.Table | None:
    """One table of the current report, for its export."""
    return next((t for t in current().tables if t.key == key), None)


@click.command("refresh-reports")
@with_appcontext
def refresh_reports_command() -> None:
    """Recompute the reports page's tables now (for cron, or after a bulk import)."""
    snapshot = refresh()
    click.echo(f"reports computed in {snapshot.seconds:.1f} s, data {snapshot.watermark}")
