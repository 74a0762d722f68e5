"""The application's clock: now in UTC, and the date in Beijing, where the city's days fall.

Times are stored in UTC and shown in Asia/Shanghai (ARCHITECTURE.md). Every "today" that a
rule depends on (a window open, a deadline passed) is the Beijing date of `current_time()`,
never the server's local date: a server in UTC is still on yesterday until 08:00 Beijing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


def current_time() -> datetime:
    """Now, aware UTC, from the application's clock: `CLOCK` in its config when set (a
    callable, for tests and for replaying a day), else the system clock."""
    from flask import current_app, has_app_context

    clock: Callable[[], datetime] | None = (
        current_app.config.get("CLOCK") if has_app_context() else None
    )
    return clock() if clock is not None else datetime.now(UTC)


def local_today() -> date:
    """Today's date in Beijing on the application's clock."""
    return current_time().astimezone(LOCAL).date()


def chinese_date(day: date) -> str:
    """2026年3月15日: Arabic numerals, no leading zeros (GB/T 9704 §7.3.5.1), as notices and
    pages print a Beijing date."""
    return f"{day.year}年{day.month}月{day.day}日"
