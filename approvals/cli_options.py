"""Options the timed commands share (`tick`, `deliver-pending`)."""

from __future__ import annotations

from datetime import datetime

import click


class AwareTime(click.ParamType):
    """An ISO time with its zone: a timed command acting as of a naive time would guess."""

    name = "time"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"not an ISO time: {value!r}", param, ctx)
        if at.tzinfo is None:
            self.fail("give the time zone, e.g. +08:00", param, ctx)
        return at


# `--now`: act as of this time instead of the application's clock (tests, ops, catch-up).
now_option = click.option(
    "--now", "at", type=AwareTime(), default=None,
    help="act as of this ISO time, e.g. 2027-01-20T09:00+08:00",
)  # fmt: skip
