"""A township's report: its facts checked on entry, the criteria checked by the system when
it is reported (a parcel meeting none is refused, saying why), one live case per parcel, and
the case page showing which criterion holds."""

from __future__ import annotations

from tests.idle_land.conftest import LAND_BUREAU, NOT_STARTED, TOWNSHIP, WELL_ON
from tests.web.conftest import text


def test_a_parcel_meeting_no_criterion_is_refused_and_the_refusal_says_why(cases):
    cases.at("2026-05-20T10:00")
    claim_id = cases.drafted(WELL_ON)
    res = cases.fire(TOWNSHIP, claim_id, "report_idle")
    assert res.status_code == 422
    message = res.json["error"]["message"]
    assert "不符合任何一项闲置工业用地认定标准" in message
    assert "已于2020年2月1日动工" in message and "50%（不低于1/3）" in message
    assert "40%（不低于25%）" in message
    assert cases.state(claim_id) == "draft"


def test_a_criterion_holds_only_once_its_years_have_passed(cases):
    # Agreed to start on 1 March 2026: not started, but not a full year yet.
    cases.at("2026-05-20T10:00")
    recent = {**NOT_STARTED, "granted_on": "2025-12-01", "agreed_start_on": "2026-03-01"}
    claim_id = cases.drafted(recent)
    res = cases.fire(TOWNSHIP, claim_id, "report_idle")
    assert res.status_code == 422 and "2027年3月1日起方可适用" in res.json["error"]["message"]
    cases.at("2027-03-01T09:00")  # a full year on, the same facts meet the first criterion
    assert cases.fire(TOWNSHIP, claim_id, "report_idle").status_code == 200
    assert cases.state(claim_id) == "suspected"


def test_the_case_page_shows_which_criterion_holds(cases):
    cases.at("2026-05-20T10:00")
    partly = {**WELL_ON, "built_area": "6000.00"}  # a quarter built, 40 % invested
    claim_id = cases.drafted(partly)
    cases.move(TOWNSHIP, claim_id, "report_idle")
    for username in (TOWNSHIP, LAND_BUREAU):
        page = text(cases.web(username).get(f"/idle-land/{claim_id}"))
        holds = page.split('id="criterion-built_share"')[1].split("</tr>")[0]
        assert "符合" in holds and "25%（不足1/3）" in holds and "不符合" not in holds
        invested = page.split('id="criterion-invested_share"')[1].split("</tr>")[0]
        assert "不符合" in invested
        assert "嘉禾纺织印染有限公司" in page and "青山工业2019-08" in page
    listed = text(cases.web(LAND_BUREAU).get("/idle-land/"))
    assert f'id="idle-case-{claim_id}"' in listed
    # Another bureau sees nothing of it until it verifies; an enterprise never.
    assert cases.web("reviewer_ghj").get(f"/idle-land/{claim_id}").status_code == 404
    assert cases.web("ent_huadong").get(f"/idle-land/{claim_id}").status_code == 404


def test_a_report_with_wrong_facts_is_refused_field_by_field(cases):
    cases.at("2026-05-20T10:00")
    wrong = {
        **NOT_STARTED,
        "land_area": "-5",
        "land_premium": "十万",
        "agreed_start_on": "2019-01-01",  # before the grant
        "location": "",
    }
    res = cases.draft(wrong)
    assert res.status_code == 422
    page = text(res)
    assert "必须大于0" in page and "应为数字" in page and "请填写" in page
    assert "约定动工日期不能早于供地日期" not in page  # only once the dates parse alone
    res = cases.draft({**NOT_STARTED, "agreed_start_on": "2019-01-01"})
    assert res.status_code == 422 and "约定动工日期不能早于供地日期" in text(res)
    unknown = cases.web(TOWNSHIP).post(
        "/idle-land/new", data={**NOT_STARTED, "owner_credit_code": "91330400MA2XXXXXX0"}
    )
    assert unknown.status_code == 422 and "未找到该统一社会信用代码的企业" in text(unknown)


def test_one_parcel_has_one_live_case(cases):
    cases.at("2026-05-20T10:00")
    cases.drafted()
    again = cases.draft()
    assert again.status_code == 409 and "该地块已有未办结的闲置土地处置" in text(again)


def test_only_a_township_reports_suspected_idle_land(cases):
    for username in ("ent_huadong", "plat_devzone"):
        res = cases.draft(township=username)
        assert res.status_code == 403, username
    assert cases.web(LAND_BUREAU).get("/idle-land/new").status_code == 403
    assert cases.web("ent_huadong").get("/idle-land/new").status_code == 403
    assert cases.web("ent_huadong").get("/idle-land/").status_code == 403
    assert cases.web("town_qingshan").get("/idle-land/new").status_code == 200
