"""Who may claim under a clause (申报主体): an enterprise the enterprise track's clauses, a
township or a platform developer the department/township track's, as each policy says; the
page and the API refuse the others, and a claimant's list shows only its own clauses."""

from __future__ import annotations

from tests.platform.conftest import PLATFORM, TOWNSHIP
from tests.web.conftest import text

TRACK = {"PT1-INFRA", "PT2-PLAN", "PT3-INDUSTRY", "PT4-TAXSHARE", "PT5-MAJOR"}


def _codes(client) -> set[str]:
    return {p["code"] for p in client.get("/api/v1/policies").json["items"]}


def test_each_claimant_is_shown_only_the_clauses_it_may_claim(api, web):
    assert not _codes(api("ent_huadong")) & TRACK and "JMJ-PLAN" in _codes(api("ent_huadong"))
    assert _codes(api(TOWNSHIP)) == {"PT2-PLAN", "PT3-INDUSTRY", "PT4-TAXSHARE", "PT5-MAJOR"}
    assert _codes(api(PLATFORM)) == {"PT1-INFRA", "PT2-PLAN", "PT4-TAXSHARE"}
    assert TRACK | {"JMJ-PLAN"} <= _codes(api("reviewer_jmj"))  # officials read them all
    page = text(web(TOWNSHIP).get("/policies"))
    assert "PT5-MAJOR" in page and "JMJ-PLAN" not in page and "PT1-INFRA" not in page
    assert "PT2-PLAN" not in text(web("ent_huadong").get("/policies"))


def test_a_clause_for_other_claimants_is_refused_on_the_page_and_by_the_api(api, web):
    for username, policy in (("ent_huadong", "PT2-PLAN"), (TOWNSHIP, "JMJ-PLAN")):
        page = web(username).get(f"/claims/new?policy={policy}")
        assert page.status_code == 422
        assert "申报主体" in text(page) and 'name="project_title"' not in text(page)
        posted = web(username).post(
            f"/claims/new?policy={policy}", {"project_title": "x", "requested_amount": "1000"}
        )
        assert posted.status_code == 422
        res = api(username).post(
            "/api/v1/claims",
            json={"policy_code": policy, "project_title": "x", "requested_amount": "1000.00"},
        )
        assert res.status_code == 422 and res.json["error"]["code"] == "claimant_type"
        assert "申报主体" in res.json["error"]["fields"]["policy_code"]
    res = api(PLATFORM).post(
        "/api/v1/claims",
        json={"policy_code": "PT5-MAJOR", "project_title": "x", "requested_amount": "1000.00"},
    )
    assert "乡镇（街道）、部门" in res.json["error"]["message"]


def test_a_claimant_that_is_not_an_enterprise_is_called_申报单位(track, web, api):
    claim_id = track.file("PT2-PLAN")
    assert "申报单位" in text(web(TOWNSHIP).get(f"/claims/{claim_id}"))
    enterprise = api("ent_huadong").create_claim()["id"]
    shown = text(web("ent_huadong").get(f"/claims/{enterprise}"))
    assert "申报企业" in shown and "申报单位" not in shown
    new = text(web(TOWNSHIP).get("/claims/new?policy=PT4-TAXSHARE"))
    assert 'name="requested_amount"' not in new and "不申报金额" in new
