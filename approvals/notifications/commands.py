"""`flask deliver-pending`: send the messages whose delivery failed or never ran."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from approvals.notifications import delivery


def deliver_and_report(now: datetime | None = None, limit: int | None = None) -> str:
    sent, failed = delivery.deliver_pending(now, limit)
    return f"messages: sent {sent}, failed {failed}, pending {delivery.left()}"


@click.command("deliver-pending")
@click.option("--limit", type=int, default=None, help="try at most this many deliveries")
@click.option("--now", "at", help="act as of this ISO time, e.g. 2027-01-20T09:00+08:00")
@with_appcontext
def deliver_pending_command(limit: int | None, at: str | None) -> None:
    """Retry the due e-mail and SMS deliveries (backoff, at most NOTIFY_MAX_ATTEMPTS tries
    each). Safe to run beside another deliverer; for cron, and run by `tick`."""
    now = None
    if at:
        try:
            now = datetime.fromisoformat(at)
        except ValueError as exc:
            raise click.BadParameter(f"not an ISO time: {at!r}", param_hint="--now") from exc
        if now.tzinfo is None:
            raise click.BadParameter("give the time zone, e.g. +08:00", param_hint="--now")
    click.echo(deliver_and_report(now, limit))
