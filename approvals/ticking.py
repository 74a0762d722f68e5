"""The beat of time (`flask tick`, and Celery beat every TICK_SECONDS with a task queue):
the claims past their 补正期限 lapse, the timers due fire (approvals/workflow/timers.py),
the messages whose e-mail or SMS failed are retried. Each part is idempotent, so two ticks
at once, or a tick run again after a crash, do nothing twice."""

from __future__ import annotations

from datetime import datetime

from approvals.clock import current_time
from approvals.jobs import register_job

JOB = "tick"


def run(now: datetime | None = None) -> list[str]:
    """One tick at `now` (the application's clock by default); the lines it reports."""
    from approvals.claims.supplement import lapse_overdue
    from approvals.notifications.commands import deliver_and_report
    from approvals.workflow.timers import fire_due

    now = now or current_time()
    lapsed = lapse_overdue(now)
    lines = [f"lapsed   {number}" for number in lapsed.lapsed]
    lines += [f"skipped  {number}: {why}" for number, why in lapsed.skipped]
    lines.append(f"tick: {len(lapsed.lapsed)} lapsed, {len(lapsed.skipped)} skipped")
    timers = fire_due(now)
    lines += timers.lines()
    lines.append(
        f"timers: {len(timers.fired)} fired, {len(timers.ended)} ended, "
        f"{len(timers.failed)} to retry"
    )
    lines.append(deliver_and_report(now))
    return lines


def init_app(app) -> None:
    register_job(app, JOB, lambda: run() and None)
