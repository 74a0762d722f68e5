"""A step's deadline (due_at), from the rule its state declares in the workflow file.

Two kinds of rule:

- a named calendar rule (`deadline = "end-of-february"`): a date of the city's annual
  procedure, the same for every claim of a call year;
- a period counted from the day the claim enters the state (`deadline = { working_days = 15 }`
  or `deadline = { months = 3 }`), on the PRC working-day calendar (calendar.py): the claim's
  own clock (办理时限), which stops while the claim waits for the enterprise (补正) and runs
  on from where it stopped when the claim comes back (approvals/claims/history.py). A fixed
  date of the procedure does not move for one claim's supplement; a counted period does.

`due_at` is always the first instant past the deadline: the start of the next Beijing day.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from approvals.clock import LOCAL
from approvals.workflow.calendar import MAX_WORKING_DAYS, NO_OVERRIDES, add_working_days, decide

MAX_MONTHS = 24


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


@dataclass(frozen=True)
class Period:
    """A deadline counted from entering the state: n working days, or n calendar months
    (the same day n months on, or the month's last day; moved to the next working day)."""

    working_days: int | None = None
    months: int | None = None

    def last_day(self, entered: date, overrides: Mapping[date, bool] = NO_OVERRIDES):
        """(the last day still in time, provisional: a day counted by the weekend rule)."""
        if self.working_days is not None:
            return tuple(add_working_days(entered, self.working_days, overrides))
        month0 = entered.month - 1 + self.months
        year, month = entered.year + month0 // 12, month0 % 12 + 1
        day = date(year, month, min(entered.day, gregorian.monthrange(year, month)[1]))
        provisional = False
        while True:
            workday, guessed = decide(day, overrides)
            provisional = provisional or guessed
            if workday:
                return day, provisional
            day += timedelta(days=1)

    def describe(self) -> dict[str, str]:
        """The rule in words, for the policy page and the history."""
        if self.working_days is not None:
            return {"zh": f"{self.working_days}个工作日", "en": f"{self.working_days} working days"}
        return {"zh": f"{self.months}个月", "en": f"{self.months} months"}


def read_rule(raw) -> tuple[str | None, Period | None]:
    """A state's `deadline` as the file gives it: a rule's name, or a table of one count."""
    if raw is None or isinstance(raw, str):
        return raw, None
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ValueError("deadline: a rule's name, or one of { working_days = n }, { months = n }")
    [(unit, n)] = raw.items()
    limit = {"working_days": MAX_WORKING_DAYS, "months": MAX_MONTHS}.get(unit)
    if limit is None:
        raise ValueError(f"deadline: unknown unit '{unit}' (working_days or months)")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= limit:
        raise ValueError(f"deadline: {unit} must be a whole number from 1 to {limit}")
    return None, Period(**{unit: n})


def after(day: date) -> datetime:
    """The first instant past `day`, Beijing time: a due_at."""
    return _start_of_local_day(day.year, day.month, day.day) + timedelta(days=1)


def last_day_of(due: datetime) -> date:
    """The last day still in time before `due` (a due_at)."""
    return (due.astimezone(LOCAL) - timedelta(microseconds=1)).date()


def due_at(rule: str | None, call_year: int) -> datetime | None:
    return RULES[rule](call_year) if rule else None


def step_due(state, call_year: int, entered: datetime, overrides=NO_OVERRIDES):
    """(due_at, provisional) of a claim entering `state` (a StateSpec) at `entered`."""
    if state.deadline:
        return RULES[state.deadline](call_year), False
    if state.period is None:
        return None, False
    last, provisional = state.period.last_day(entered.astimezone(LOCAL).date(), overrides)
    return after(last), provisional
