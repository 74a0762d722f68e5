"""`flask --app approvals render-pending`: render the notices left pending (after a crash
between a transition's commit and its render, or a failed render), for cron or by hand."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from approvals.notices import outbox


@click.command("render-pending")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="at most this many")
@with_appcontext
def render_pending_command(limit: int | None) -> None:
    """Render every notice whose PDF is not stored yet, oldest first."""
    rendered, failed = outbox.render_pending(limit)
    left = len(outbox.pending_ids())
    click.echo(f"rendered {rendered}, failed {failed}, pending {left}")
    if failed:
        raise SystemExit(1)
