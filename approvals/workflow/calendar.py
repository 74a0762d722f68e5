"""The PRC working-day calendar (工作日): official holidays and make-up days, the city's own dates.

Three sources, strongest first:

1. the dates an administrator enters (`calendar_days`): the city's exceptions, and the way to
   enter a year's schedule before the `chinesecalendar` package knows it;
2. the official schedule of public holidays and make-up working days (调休上班) published by
   the State Council, as the `chinesecalendar` package carries it (`official_years()`);
3. for any other year, the weekend rule: Monday to Friday are working days, except the
   public holidays whose date the law itself fixes (《全国年节及纪念日放假办法》: 元旦 1 January,
   劳动节 1–2 May, 国庆节 1–3 October, and 清明, a solar term). The lunar holidays and the
   make-up working days are only known from the year's official schedule.

A deadline that counted a day decided by the weekend rule is *provisional* (暂按周末推算):
the official schedule for that year was not known when it was computed.

The functions here are pure: they take the administrator's dates as a mapping (read once with
`load_overrides()`), and the date to count from; nothing here reads the system clock except
`current_time()`, which reads the application's clock (config `CLOCK`, for tests and ops).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import chinese_calendar

Overrides = Mapping[date, bool]  # day → True for a working day, False for a day off


class CityCalendar(dict):
    """The administrator's days (day → working day), and the years whose schedule the
    administrator confirmed: their days are decided, not guessed by the weekend rule."""

    def __init__(self, days=(), confirmed=frozenset()):
        super().__init__(days)
        self.confirmed = frozenset(confirmed)


NO_OVERRIDES: Overrides = CityCalendar()
MAX_WORKING_DAYS = 366  # no deadline counts further
NOTE_MAX = 64  # calendar_days.note


@dataclass(frozen=True)
class Deadline:
    due: date
    provisional: bool  # a counted day lies in a year the official calendar does not cover

    def __iter__(self):  # `due, provisional = add_working_days(...)`
        return iter((self.due, self.provisional))


# The holidays on fixed Gregorian dates (month, day), by the State Council's 放假办法 (2024).
STATUTORY_DATES = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})


@cache
def _qingming(year: int) -> date | None:
    """清明 is the solar term; the package computes solar terms for 1900–2100."""
    try:
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    except (NotImplementedError, IndexError, KeyError, ValueError):
        return None
    return next((day for day, name in terms if name == "清明"), None)


def _weekend_rule(day: date) -> bool:
    if (day.month, day.day) in STATUTORY_DATES or day == _qingming(day.year):
        return False
    return day.weekday() < 5


@cache
def official_years() -> frozenset[int]:
    """The years whose holidays and make-up working days `chinesecalendar` knows."""
    years = {day.year for day in chinese_calendar.holidays}
    return frozenset(range(min(years), max(years) + 1)) if years else frozenset()


def _official_workday(day: date) -> bool | None:
    """The official answer, or None for a year the package does not cover."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # "no available data for year …"
        return None


def decide(day: date, overrides: Overrides) -> tuple[bool, bool]:
    """(is a working day, decided by the weekend rule only)."""
    if day in overrides:
        return bool(overrides[day]), False
    official = _official_workday(day)
    if official is not None:
        return official, False
    return _weekend_rule(day), day.year not in getattr(overrides, "confirmed", ())


def is_workday(day: date, overrides: Overrides = NO_OVERRIDES) -> bool:
    return decide(day, overrides)[0]


def add_working_days(start: date, n: int, overrides: Overrides = NO_OVERRIDES) -> Deadline:
    """The n-th working day after `start` (start itself not counted): 补正期限 and the like."""
    if not 1 <= n <= MAX_WORKING_DAYS:
        raise ValueError(f"working days must be 1–{MAX_WORKING_DAYS}, not {n}")
    day, counted, provisional = start, 0, False
    while counted < n:
        day += timedelta(days=1)
        workday, guessed = decide(day, overrides)
        provisional = provisional or guessed
        counted += workday
    return Deadline(day, provisional)


def working_days_left(today: date, due: date, overrides: Overrides = NO_OVERRIDES) -> int:
    """Working days after `today` up to and including `due`; 0 on the last day and after it.

    The same count as add_working_days: on the day a claim is returned with n days, n are left.
    """
    left, day = 0, today
    while day < due:
        day += timedelta(days=1)
        left += is_workday(day, overrides)
    return left


# What reads the database and the clock ----------------------------------------------------


def load_overrides() -> CityCalendar:
    """The administrator's dates and confirmed years (two small tables), kept for a minute
    (approvals/reference.py): every deadline counted in working days reads them."""
    from approvals import reference
    from approvals.extensions import db
    from approvals.workflow.models import CalendarDay, CalendarYear

    def read() -> CityCalendar:
        days = {row.day: row.workday for row in db.session.scalars(db.select(CalendarDay))}
        return CityCalendar(days, db.session.scalars(db.select(CalendarYear.year)))

    reference.watch(CalendarDay, OVERRIDES_KEY)
    reference.watch(CalendarYear, OVERRIDES_KEY)
    cached = reference.cached(OVERRIDES_KEY, read)
    return CityCalendar(cached, cached.confirmed)  # a copy: a caller may add to it


OVERRIDES_KEY = "calendar.overrides"


def calendar_days(year: int | None = None) -> list:
    """The administrator's dates, in order; those of one year when `year` is given."""
    from approvals.extensions import db
    from approvals.workflow.models import CalendarDay

    query = db.select(CalendarDay).order_by(CalendarDay.day)
    if year is not None:
        query = query.where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
    return list(db.session.scalars(query))


def set_calendar_day(day: date, workday: bool | None, note: str = ""):
    """Enter a day as a working day or a day off (None removes the entry); one transaction."""
    from approvals.db import transaction
    from approvals.errors import Invalid
    from approvals.extensions import db
    from approvals.workflow.models import CalendarDay

    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(f"说明不能超过{NOTE_MAX}字", fields={"note": f"不能超过{NOTE_MAX}字"})
    with transaction():
        row = db.session.get(CalendarDay, day)
        if workday is None:
            if row is not None:
                db.session.delete(row)
            return None
        if row is None:
            row = CalendarDay(day=day)
            db.session.add(row)
        row.workday, row.note = workday, note
    return row


def year_status(year: int) -> str:
    """ "official" (the package's schedule), "confirmed" (the administrator's), or
    "provisional" (the weekend rule and the statutory dates only)."""
    if year in official_years():
        return "official"
    return "confirmed" if year in load_overrides().confirmed else "provisional"


def confirm_year(year: int, admin, confirmed: bool, note: str = "") -> None:
    """Record (or withdraw) the administrator's confirmation that a year's schedule is in."""
    from approvals.db import transaction
    from approvals.errors import Invalid
    from approvals.extensions import db
    from approvals.workflow.models import CalendarYear

    if year in official_years():
        raise Invalid(f"{year}年的放假安排已由官方日历收录，无需确认", fields={"year": "已收录"})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(f"说明不能超过{NOTE_MAX}字", fields={"note": f"不能超过{NOTE_MAX}字"})
    with transaction():
        row = db.session.get(CalendarYear, year)
        if not confirmed:
            if row is not None:
                db.session.delete(row)
            return
        if row is None:
            db.session.add(CalendarYear(year=year, confirmed_by_id=admin.id, note=note))
