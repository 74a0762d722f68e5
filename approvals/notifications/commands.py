"""`flask deliver-pending`: send the messages whose delivery failed or never ran."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from approvals.cli_options import now_option
from approvals.notifications import delivery


def deliver_and_report(now: datetime | None = None, limit: int | None = None) -> str:
    sent, failed = delivery.deliver_pending(now, limit)
    return f"messages: sent {sent}, failed {failed}, pending {delivery.left()}"


@click.command("deliver-pending")
@click.option("--limit", type=int, default=None, help="try at most this many deliveries")
@now_option
@with_appcontext
def deliver_pending_command(limit: int | None, at: datetime | None) -> None:
    """Retry the due e-mail and SMS deliveries (backoff, at most NOTIFY_MAX_ATTEMPTS tries
    each). Safe to run beside another deliverer; for cron, and run by `tick`."""
    click.echo(deliver_and_report(at, limit))
