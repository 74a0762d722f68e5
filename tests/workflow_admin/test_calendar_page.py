"""The administrator's working-day calendar: a year the official calendar does not know is
shown as provisional, its deadlines marked so; the administrator enters the year's days and
confirms it, and deadlines counted in it are final from then on. Bad input is a 422 with the
problem named, never a 500."""

from datetime import date

from approvals.workflow.calendar import add_working_days, load_overrides, year_status
from tests.finance.conftest import signed_in


def _page(client, year: int) -> str:
    res = client.get(f"/admin/calendar?year={year}")
    assert res.status_code == 200
    return res.get_data(as_text=True)


def test_an_unknown_year_is_provisional_until_the_administrator_confirms_it(seeded):
    admin = signed_in(seeded, "admin")
    assert "官方日历尚未收录本年放假安排" in _page(admin, 2027)
    with seeded.app_context():
        assert add_working_days(date(2027, 2, 8), 3, load_overrides()).provisional
    # The State Council's schedule for 2027 as the administrator enters it (an example).
    for day in ("2027-02-10", "2027-02-11", "2027-02-12"):
        res = admin.post(
            "/admin/calendar?year=2027",
            data={"action": "day", "day-day": day, "day-status": "holiday", "day-note": "春节"},
        )
        assert res.status_code == 302
    res = admin.post(
        "/admin/calendar", data={"action": "confirm", "year": "2027", "year-note": "国办发明电"}
    )
    assert res.status_code == 302
    page = _page(admin, 2027)
    assert "本年放假安排已由管理员录入并确认" in page and "2027-02-11" in page
    with seeded.app_context():
        assert year_status(2027) == "confirmed"
        deadline = add_working_days(date(2027, 2, 8), 3, load_overrides())
        assert tuple(deadline) == (date(2027, 2, 16), False)  # 9, then 15 and 16: 10–12 off


def test_an_official_year_needs_no_confirmation(seeded):
    admin = signed_in(seeded, "admin")
    assert "官方日历已收录本年放假安排" in _page(admin, 2026)
    res = admin.post("/admin/calendar", data={"action": "confirm", "year": "2026"})
    assert res.status_code == 422
    assert "无需确认" in res.get_data(as_text=True)


def test_a_malformed_day_is_refused_with_its_problem(seeded):
    admin = signed_in(seeded, "admin")
    res = admin.post(
        "/admin/calendar?year=2027",
        data={"action": "day", "day-day": "2027-02-30", "day-status": "holiday"},
    )
    assert res.status_code == 422
    assert "日期格式" in res.get_data(as_text=True)


def test_only_the_administrator_sees_the_calendar(seeded):
    assert signed_in(seeded, "reviewer_jmj").get("/admin/calendar").status_code in (403, 404)
