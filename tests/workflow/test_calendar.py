"""The working-day calendar: official holidays and make-up days, the weekend rule for years
the official calendar does not know (provisional), and the administrator's dates over both."""

from datetime import UTC, date, datetime

import pytest

from approvals.clock import current_time
from approvals.extensions import db
from approvals.workflow.calendar import (
    add_working_days,
    is_workday,
    load_overrides,
    official_years,
    working_days_left,
)
from approvals.workflow.models import CalendarDay


def test_official_years_end_where_the_package_data_ends():
    years = official_years()
    assert 2026 in years and 2025 in years
    assert 2027 not in years


def test_national_day_holiday_moves_a_deadline():
    # 2026-09-30 is a Wednesday; 1–7 October are the National Day holiday.
    due, provisional = add_working_days(date(2026, 9, 30), 1)
    assert due == date(2026, 10, 8)
    assert provisional is False


def test_a_make_up_working_day_counts():
    # Saturday 2026-02-14 is worked to make up for the Spring Festival (调休上班).
    assert is_workday(date(2026, 2, 14))
    assert add_working_days(date(2026, 2, 13), 1).due == date(2026, 2, 14)
    # Saturday 2026-10-10 likewise: after 8 and 9 October it is the third working day.
    assert add_working_days(date(2026, 9, 30), 3).due == date(2026, 10, 10)


def test_spring_festival_is_skipped_whole():
    assert add_working_days(date(2026, 2, 14), 1).due == date(2026, 2, 24)


def test_a_deadline_reaching_2027_is_provisional_and_counts_weekdays():
    # From Monday 28 December 2026: 29, 30, 31 December; then 2027 by the weekend rule,
    # which knows that the law fixes 元旦 on 1 January: 4–8 and 11–12 January.
    deadline = add_working_days(date(2026, 12, 28), 10)
    assert deadline.due == date(2027, 1, 12)
    assert deadline.provisional is True


def test_the_weekend_rule_keeps_the_holidays_the_law_fixes():
    for day in (date(2027, 1, 1), date(2027, 5, 2), date(2027, 10, 1), date(2027, 4, 5)):
        assert not is_workday(day), day  # 元旦, 劳动节, 国庆节, 清明 (a solar term)
    assert is_workday(date(2027, 10, 4))  # a Monday: the make-up days are not known yet


def test_administrator_dates_decide_a_year_the_package_does_not_know():
    # Once the State Council publishes 2027, the administrator enters its days.
    overrides = {date(2027, 1, 4): False, date(2027, 1, 9): True}  # a day off, a Saturday worked
    deadline = add_working_days(date(2026, 12, 28), 10, overrides)
    assert deadline.due == date(2027, 1, 12)  # 4 Jan skipped, Saturday 9 Jan counted
    assert add_working_days(date(2026, 12, 28), 10, {date(2027, 1, 4): False}).due == date(
        2027, 1, 13
    )
    assert deadline.provisional is True  # the rest of 2027 is still the weekend rule


def test_administrator_dates_override_the_official_calendar():
    # A city holiday on a working Friday, and a Sunday the city works.
    overrides = {date(2026, 10, 9): False, date(2026, 10, 11): True}
    assert not is_workday(date(2026, 10, 9), overrides)
    assert is_workday(date(2026, 10, 11), overrides)
    # 8 Oct, 10 Oct (make-up), 11 Oct (the city's), skipping 9 Oct.
    assert add_working_days(date(2026, 9, 30), 3, overrides).due == date(2026, 10, 11)


@pytest.mark.parametrize("day", [date(1850, 6, 3), date(2003, 6, 2), date(2099, 12, 31)])
def test_unknown_years_never_raise(day):
    assert is_workday(day) == (day.weekday() < 5)
    add_working_days(day, 30)
    working_days_left(day, date(day.year + 1, 1, 31))


def test_working_days_left_counts_as_the_deadline_was_counted():
    start = date(2026, 9, 30)
    due = add_working_days(start, 5).due
    assert working_days_left(start, due) == 5
    assert working_days_left(date(2026, 10, 3), due) == 5  # holidays use nothing up
    assert working_days_left(due, due) == 0  # the last day itself
    assert working_days_left(date(2026, 12, 1), due) == 0  # past it


def test_a_deadline_needs_at_least_one_working_day():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 9, 30), 0)


def test_the_clock_is_the_applications(app):
    fixed = datetime(2027, 1, 20, 1, 0, tzinfo=UTC)
    app.config["CLOCK"] = lambda: fixed
    with app.app_context():
        assert current_time() == fixed


def test_calendar_day_commands_enter_list_and_clear_days(app):
    runner = app.test_cli_runner()
    args = ["calendar-day", "2027-01-01", "--holiday", "--note", "元旦"]
    assert runner.invoke(args=args).exit_code == 0
    assert runner.invoke(args=["calendar-day", "2027-02-20", "--workday"]).exit_code == 0
    listed = runner.invoke(args=["calendar-days", "--year", "2027"])
    assert listed.exit_code == 0
    assert "2027-01-01 Fri holiday  元旦" in listed.output
    assert "2027-02-20 Sat workday" in listed.output
    assert "2004–2026" in listed.output
    with app.app_context():
        assert load_overrides() == {date(2027, 1, 1): False, date(2027, 2, 20): True}
    assert runner.invoke(args=["calendar-day", "2027-02-20", "--clear"]).exit_code == 0
    with app.app_context():
        assert db.session.scalars(db.select(CalendarDay.day)).all() == [date(2027, 1, 1)]


def test_calendar_day_refuses_a_bad_date_or_no_choice(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["calendar-day", "2027-02-30", "--holiday"]).exit_code == 2
    result = runner.invoke(args=["calendar-day", "2027-03-01"])
    assert result.exit_code == 2 and "--holiday, --workday or --clear" in result.output
    long_note = runner.invoke(args=["calendar-day", "2027-03-01", "--holiday", "--note", "长" * 65])
    assert long_note.exit_code == 1 and "说明不能超过64字" in long_note.output
