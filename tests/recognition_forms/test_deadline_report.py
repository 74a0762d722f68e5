"""The deadline report: per call year, each department with approved claims sent its form by
the end of February of the next year (Beijing date), late (with the date), or not at all
(with the claims waiting). Dates are injected; nothing sleeps."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from approvals.extensions import db
from approvals.policies.models import Policy

BEIJING = ZoneInfo("Asia/Shanghai")


def _year(app, code="JMJ-PLAN") -> int:
    with app.app_context():
        return db.session.scalar(db.select(Policy.call_year).filter_by(code=code))


def _departments(api, year):
    res = api("finance").get(f"/api/v1/recognition-forms/report?year={year}")
    assert res.status_code == 200, res.json
    return {d["code"]: d for d in res.json["departments"]}


def test_report_tells_on_time_late_and_not_sent(api, make_claim, send_form, seeded, web):
    year = _year(seeded)
    assert {_year(seeded, code) for code in ("KJJ-HITECH", "ZSJ-MAJOR")} == {year}
    jmj = make_claim("recognised", policy="JMJ-PLAN", approved_amount="1000.00")
    kjj = make_claim("recognised", policy="KJJ-HITECH", approved_amount="2000.00")
    zsj = [
        make_claim("recognised", policy="ZSJ-MAJOR", enterprise=name, approved_amount="300.00")
        for name in ("ent_huadong", "ent_jiangnan")
    ]
    # The last minute of February in Beijing is on time; the first of March is late, though
    # it is still 28 February in UTC.
    send_form(jmj.id, now=datetime(year + 1, 2, 28, 23, 59, tzinfo=BEIJING))
    send_form(kjj.id, now=datetime(year + 1, 3, 1, 0, 10, tzinfo=BEIJING))

    lines = _departments(api, year)
    assert lines["JMJ"]["standing"] == "on_time"
    assert lines["JMJ"]["forms"][0]["sent_on"] == f"{year + 1}-02-28"
    assert lines["KJJ"]["standing"] == "late"
    assert lines["KJJ"]["forms"][0]["sent_on"] == f"{year + 1}-03-01"
    assert not lines["KJJ"]["forms"][0]["on_time"]
    assert lines["ZSJ"]["standing"] == "not_sent" and lines["ZSJ"]["forms"] == []
    assert (lines["ZSJ"]["claims_waiting"], lines["ZSJ"]["claims_approved"]) == (2, 2)
    assert (lines["JMJ"]["claims_waiting"], lines["JMJ"]["claims_approved"]) == (0, 1)
    assert all(f["number"] for code in ("JMJ", "KJJ") for f in lines[code]["forms"])
    assert [z.id for z in zsj]  # made, listed nowhere

    page = web("gov").get(f"/recognition-forms/report?year={year}").get_data(as_text=True)
    for standing in ("按时报送", "逾期报送", "未报送"):
        assert standing in page
    assert lines["KJJ"]["forms"][0]["number"] in page
    assert api("reviewer_jmj").get("/api/v1/recognition-forms/report").status_code == 403
    assert web("reviewer_jmj").get("/recognition-forms/report").status_code == 403
