"""Named calendar rules that give a step its deadline (due_at)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from approvals.clock import LOCAL


def _start_of_local_day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=LOCAL).astimezone(UTC)


# Each rule maps the call year (通知申报的年度) to the first instant past the deadline.
RULES: dict[str, Callable[[int], datetime]] = {
    # Department review is due by the end of February of the year after the call.
    "end-of-february": lambda call_year: _start_of_local_day(call_year + 1, 3, 1),
    # Payout is due by the end of March of the year after the call.
    "end-of-march": lambda call_year: _start_of_local_day(call_year + 1, 4, 1),
    # Department and township declarations are due by the end of December of the call.
    "end-of-december": lambda call_year: _start_of_local_day(call_year + 1, 1, 1),
}


def due_at(rule: str | None, call_year: int) -> datetime | None:
    return RULES[rule](call_year) if rule else None
