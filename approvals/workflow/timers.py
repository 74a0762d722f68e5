"""Timers: rows that say what happens when (`due_at`), fired by `flask tick` or Celery beat.

A feature registers a kind of timer with what it does (`Catalog.timer`). Step timers are
scheduled by the door itself whenever a claim enters a state with a deadline, for every
kind that applies to the state: `per="claim"` once per entry (the system's move at the
deadline), `per="department"` once per department, state and deadline (a reminder or a 督办
about all the department's claims due that day, not one message per claim when 500 claims
share the end of February). Other timers are scheduled by their feature (`schedule`).

Firing is idempotent: a timer is taken by the UPDATE that counts its attempt, which only one
tick can make while it is unfired (SQLite's single writer; PostgreSQL's row lock), and its
work commits in the same transaction as its `fired_at`. A move through the door joins that
transaction (approvals/db.py). A refused move (the claim moved meanwhile) ends the timer with
the reason; an error is retried on the next tick, at most MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from approvals.db import transaction
from approvals.errors import DomainError
from approvals.extensions import db
from approvals.workflow.calendar import decide
from approvals.workflow.deadlines import after, last_day_of
from approvals.workflow.models import Timer
from approvals.workflow.registry import CATALOG

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
BATCH = 500  # timers fired per tick at most; the next tick takes the rest
OUTCOME_MAX = 200


@dataclass(frozen=True)
class TimerKind:
    name: str
    fire: Callable[[Timer, datetime], str]  # → the outcome, recorded on the row
    # Step timers: when, from the step's last day still in time (and the calendar).
    at: Callable[[date, Mapping], datetime] | None = None
    applies: Callable[[object], bool] = lambda state: True  # (StateSpec) → schedule here?
    per: str = "claim"  # or "department"


# When a step timer fires, counted in working days from the step's last day ---------------


def _shift(day: date, n: int, overrides: Mapping) -> date:
    """The n-th working day after `day` (before it for n < 0); `day` itself for n = 0."""
    step = 1 if n > 0 else -1
    for _ in range(abs(n)):
        day += timedelta(days=step)
        while not decide(day, overrides)[0]:
            day += timedelta(days=step)
    return day


def working_days_before(n: int) -> Callable[[date, Mapping], datetime]:
    """At the start of the n-th working day before the last day (a reminder)."""
    return lambda last, overrides: after(_shift(last, -n, overrides) - timedelta(days=1))


def at_deadline(last: date, overrides: Mapping) -> datetime:
    """When the deadline passes: the start of the day after the last day."""
    return after(last)


def working_days_after(n: int) -> Callable[[date, Mapping], datetime]:
    """When the n-th working day after the last day has passed too (an escalation)."""
    return lambda last, overrides: after(_shift(last, n, overrides))


# Scheduling ---------------------------------------------------------------------------------


def kinds() -> dict[str, TimerKind]:
    return current_app.extensions[CATALOG].timers


def _insert_ignoring_duplicates(rows: list[dict]) -> None:
    """One statement whatever the number of rows; a timer already scheduled stays as it is."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(Timer).on_conflict_do_nothing(index_elements=["kind", "key"]), rows)


def schedule(kind: str, key: str, due_at: datetime, **columns) -> None:
    """Schedule a timer of a registered kind, once per (kind, key); in the caller's transaction."""
    if kind not in kinds():
        raise ValueError(f"unknown timer kind '{kind}'")
    _insert_ignoring_duplicates(
        [{"kind": kind, "key": key, "due_at": due_at, "payload": {}, "attempts": 0, **columns}]
    )


def schedule_step(claim, state, due: datetime, overrides: Mapping) -> int:
    """The step timers of a claim entering `state` (a StateSpec) with deadline `due`."""
    last = last_day_of(due)
    rows = []
    for kind in kinds().values():
        if kind.at is None or not kind.applies(state):
            continue
        if kind.per == "claim":
            key, claim_id = f"{claim.id}:{claim.version}", claim.id
        else:
            key, claim_id = (
                f"{claim.department_id}:{claim.workflow}:{state.name}:{due:%Y%m%d%H}",
                None,
            )
        rows.append(
            {
                "kind": kind.name,
                "key": key,
                "claim_id": claim_id,
                "department_id": claim.department_id,
                "state": state.name,
                "deadline": due,
                "due_at": kind.at(last, overrides),
                "payload": {"workflow": claim.workflow},
                "attempts": 0,
            }
        )
    if rows:
        _insert_ignoring_duplicates(rows)
    return len(rows)


# Firing ---------------------------------------------------------------------------------------


@dataclass
class FireReport:
    fired: list[tuple[str, str]] = field(default_factory=list)  # (kind, outcome)
    ended: list[tuple[str, str]] = field(default_factory=list)  # refused: (kind, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # to be retried

    def lines(self) -> list[str]:
        return (
            [f"fired    {kind}: {outcome}" for kind, outcome in self.fired]
            + [f"ended    {kind}: {why}" for kind, why in self.ended]
            + [f"failed   {kind}: {why}" for kind, why in self.failed]
        )


def pending(now: datetime) -> list[int]:
    return list(
        db.session.scalars(
            select(Timer.id)
            .where(Timer.fired_at.is_(None), Timer.due_at <= now)
            .order_by(Timer.due_at, Timer.id)
            .limit(BATCH)
        )
    )


def fire_due(now: datetime) -> FireReport:
    """Fire every timer due by `now`, each in a transaction of its own."""
    report = FireReport()
    table = kinds()
    for timer_id in pending(now):
        try:
            with transaction():
                timer = _take(timer_id)
                if timer is None:  # another tick fired it meanwhile
                    continue
                outcome = table[timer.kind].fire(timer, now)
                _end(timer, now, outcome or "done")
            report.fired.append((timer.kind, outcome or "done"))
        except DomainError as exc:
            _finish(timer_id, now, f"refused: {exc.message}", count=True)
            report.ended.append((_kind_of(timer_id), exc.message))
        except Exception as exc:  # noqa: BLE001 — recorded and retried, never blocks the rest
            log.exception("timer %s failed", timer_id)
            _finish(timer_id, now, f"failed: {exc!r}", count=True, retry=True)
            report.failed.append((_kind_of(timer_id), repr(exc)))
    return report


def _take(timer_id: int) -> Timer | None:
    taken = db.session.execute(
        update(Timer)
        .where(Timer.id == timer_id, Timer.fired_at.is_(None))
        .values(attempts=Timer.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    return db.session.get(Timer, timer_id, populate_existing=True)


def _end(timer: Timer, now: datetime, outcome: str) -> None:
    timer.fired_at, timer.outcome = now, outcome[:OUTCOME_MAX]


def _finish(timer_id: int, now: datetime, outcome: str, *, count: bool, retry=False) -> None:
    """After a rolled-back firing: count the attempt; end the timer unless it is retried."""
    with transaction():
        timer = db.session.get(Timer, timer_id, populate_existing=True)
        if timer is None or timer.fired_at is not None:
            return
        timer.attempts += 1 if count else 0
        timer.outcome = outcome[:OUTCOME_MAX]
        if not retry or timer.attempts >= MAX_ATTEMPTS:
            timer.fired_at = now


def _kind_of(timer_id: int) -> str:
    return db.session.scalar(select(Timer.kind).where(Timer.id == timer_id)) or "?"
