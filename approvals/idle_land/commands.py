"""`flask seed-idle-land`: the demo's idle-land cases (demo.py), after `seed-demo`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("seed-idle-land")
@with_appcontext
def seed_idle_land_command() -> None:
    """File the demo's idle-land cases (one reported, one before the city government, one
    in its first period) unless there are some; print how many."""
    from approvals.idle_land.demo import seed_cases

    click.echo(f"闲置工业用地演示案件 / idle-land demo cases: {seed_cases()}")
