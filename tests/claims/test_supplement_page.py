"""The 补正期限 on the web: the reviewer's return form asks for working days (10 prefilled),
and the enterprise sees the deadline with the working days left on its claim and its list."""

import re
from datetime import date

import pytest

from tests.conftest import set_clock
from tests.web.conftest import text

DAYS_INPUT = re.compile(r"<input[^>]*name=\"supplement_days\"[^>]*>")


def _version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def _return(client, claim_id, **fields):
    page = text(client.get(f"/claims/{claim_id}"))
    data = {"comment": "请补充项目方案", **fields}
    return client.act(claim_id, "return_for_supplement", _version(page), **data)


def test_return_form_asks_for_working_days_prefilled_ten(web, submitted_on):
    page = text(web("reviewer_jmj").get(f"/claims/{submitted_on()}"))
    field = DAYS_INPUT.search(page).group(0)
    assert 'type="number"' in field and 'value="10"' in field
    assert 'min="1"' in field and 'max="30"' in field
    assert "补正期限（工作日）" in page


def test_return_through_the_form_shows_the_enterprise_its_deadline(web, submitted_on):
    claim_id = submitted_on()
    assert _return(web("reviewer_jmj"), claim_id, supplement_days="3").status_code == 302
    enterprise = web("ent_huadong")
    page = text(enterprise.get(f"/claims/{claim_id}"))
    assert "补正期限" in page and "2026-10-09" in page
    assert "还剩 3 个工作日" in page  # 30 Sep, 8 and 9 Oct: National Day is not counted
    assert "暂定期限" not in page
    listing = text(enterprise.get("/claims"))
    assert "2026-10-09" in listing and "还剩 3 个工作日" in listing


def test_the_last_day_and_a_passed_deadline_say_so(seeded, web, submitted_on):
    claim_id = submitted_on()
    _return(web("reviewer_jmj"), claim_id, supplement_days="3")
    enterprise = web("ent_huadong")
    set_clock(seeded, "2026-10-09T08:00")
    assert "今天截止" in text(enterprise.get(f"/claims/{claim_id}"))
    set_clock(seeded, "2026-10-10T08:00")
    assert "已逾期" in text(enterprise.get(f"/claims/{claim_id}"))


def test_a_provisional_deadline_says_so(web, submitted_on):
    claim_id = submitted_on(on="2026-12-28T10:00", window=(date(2026, 12, 1), date(2026, 12, 31)))
    _return(web("reviewer_jmj"), claim_id)  # ten days, prefilled
    page = text(web("ent_huadong").get(f"/claims/{claim_id}"))
    assert "2027-01-12" in page
    assert "暂定期限：该年度放假安排尚未公布，暂按周末和法定节日推算" in page


@pytest.mark.parametrize("days", ["0", "31", "abc"])
def test_bad_working_days_are_shown_on_the_form_keeping_the_opinion(web, submitted_on, days):
    claim_id = submitted_on()
    res = _return(web("reviewer_jmj"), claim_id, supplement_days=days, comment="缺项目方案")
    assert res.status_code == 422
    page = text(res)
    assert "补正期限应为 1 至 30 个工作日之间的整数" in page
    assert "缺项目方案" in page
    assert "待初审" in page
