"""`flask check-audit`: recompute the record and exit 1 naming each break."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("check-audit")
@with_appcontext
def check_audit() -> None:
    """Recompute every hash chain (claims, budgets) and every stored PDF's SHA-256."""
    from approvals.audit.check import audit

    report = audit()
    for problem in report.breaks:
        click.echo(f"BREAK {problem}", err=True)
    if not report.ok:
        raise click.exceptions.Exit(1)
    c = report.counts
    click.echo(
        f"ok  record holds: {c['claims']} claims ({c['events']} events, {c['notices']} notices),"
        f" {c['budgets']} budgets ({c['entries']} ledger entries), {c['pdfs']} PDFs"
    )
