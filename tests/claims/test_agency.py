"""全程代办: an official prepares and files a claim on a claimant's behalf, with the claimant's
consent recorded in the system; the claim is the claimant's in every other respect."""

from __future__ import annotations

import re
import subprocess

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.credit_code import make_credit_code
from approvals.organisations.models import Enterprise, User
from tests.conftest import PDF_BYTES
from tests.web.conftest import text

HUADONG = make_credit_code("91330100MA2B3C4D5")  # 华东精密机械有限公司 (ent_huadong)
EVIDENCE = ("business_licence", "project_plan")  # JMJ-PLAN's
BANNER = "市经贸局 市经贸局初审 申请为你单位全程代办此申报"


def _file(api, who="reviewer_jmj", claimant=HUADONG, policy="JMJ-PLAN", amount="80000.00"):
    return api(who).post(
        "/api/v1/claims",
        json={
            "on_behalf_of": claimant,
            "policy_code": policy,
            "project_title": "代办的技术改造项目",
            "requested_amount": amount,
        },
    )


@pytest.fixture
def agency_draft(api) -> int:
    """A JMJ-PLAN draft reviewer_jmj filed for 华东精密机械, with its evidence."""
    res = _file(api)
    assert res.status_code == 201, res.json
    for kind in EVIDENCE:
        assert api("reviewer_jmj").attach(res.json["id"], kind).status_code == 201
    return res.json["id"]


def _consent(api, claim_id, who="ent_huadong"):
    version = api("admin").claim(claim_id).json["version"]
    return api(who).post(f"/api/v1/claims/{claim_id}/agency-consent", json={"version": version})


def _version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


# The reviewer's page -----------------------------------------------------------------------


def test_the_page_offers_the_reviewers_own_clauses_and_finds_the_claimant(web):
    client = web("reviewer_jmj")
    page = text(client.get("/claims/on-behalf"))
    assert "JMJ-PLAN" in page and "KJJ-HITECH" not in page
    assert 'name="project_title"' not in page  # no claim form before a claimant and a clause
    by_name = text(client.get("/claims/on-behalf?claimant=华东精密&policy=JMJ-PLAN"))
    by_code = text(client.get(f"/claims/on-behalf?claimant={HUADONG.lower()}&policy=JMJ-PLAN"))
    for found in (by_name, by_code):
        assert "为华东精密机械有限公司代办申报" in found
        assert 'name="project_title"' in found and 'name="requested_amount"' in found
    several = text(client.get("/claims/on-behalf?claimant=有限公司&policy=JMJ-PLAN"))
    assert 'id="claimant-matches"' in several and 'name="project_title"' not in several
    none = text(client.get("/claims/on-behalf?claimant=不存在的单位&policy=JMJ-PLAN"))
    assert 'id="no-claimant"' in none


def test_a_reviewer_files_a_draft_for_the_claimant_from_the_page(seeded, web):
    client = web("reviewer_jmj")
    url = f"/claims/on-behalf?claimant={HUADONG}&policy=JMJ-PLAN"
    # The claimant's own form, with its own refusals, shown on the page.
    refused = client.post(url, {"project_title": "代办项目", "requested_amount": "300000.01"})
    assert refused.status_code == 422 and "申报金额不能超过" in text(refused)
    res = client.post(url, {"project_title": "代办项目", "requested_amount": "50000"})
    assert res.status_code == 302, text(res)
    claim_id = int(res.location.rsplit("/", 1)[1])
    with seeded.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.state == "draft" and claim.enterprise.credit_code == HUADONG
        assert claim.agent.username == "reviewer_jmj"
        assert claim.created_by.username == "reviewer_jmj"
        assert claim.agency_consent_at is None
    page = text(client.get(f"/claims/{claim_id}"))
    assert "申报单位的用户登录本系统" in page  # the agent is told what it waits for
    assert f'action="/claims/{claim_id}/edit"' in page
    res = client.upload(claim_id, "business_licence", PDF_BYTES, "营业执照.pdf")
    assert res.status_code == 302
    assert "营业执照.pdf" in text(client.get(f"/claims/{claim_id}"))
    assert f'href="/claims/{claim_id}"' in text(client.get("/claims/on-behalf"))
    # One live claim per policy and year, whoever files it.
    again = client.post(url, {"project_title": "第二份", "requested_amount": "1000"})
    assert again.status_code == 409 and "该单位已有该政策条款本年度的申报" in text(again)


def test_the_page_is_the_reviewers_alone(web):
    for who in ("ent_huadong", "finance", "gov"):
        assert web(who).get("/claims/on-behalf").status_code == 403


# Editing, consent, submission ----------------------------------------------------------------


def test_the_agent_edits_the_draft_and_its_evidence_and_no_other_official_does(api, agency_draft):
    agent = api("reviewer_jmj")
    version = agent.claim(agency_draft).json["version"]
    res = agent.patch(
        f"/api/v1/claims/{agency_draft}", json={"project_title": "改过的题目", "version": version}
    )
    assert res.status_code == 200, res.json
    assert res.json["agency"]["agent"]["department"] == "JMJ"
    # The agent finds its drafts in its list (the rule table's SQL), which no one else does.
    listed = agent.get("/api/v1/claims").json["items"]
    assert agency_draft in [c["id"] for c in listed]
    for outsider in ("reviewer_kjj", "finance"):
        listed = api(outsider).get("/api/v1/claims").json["items"]
        assert agency_draft not in [c["id"] for c in listed]
        assert api(outsider).claim(agency_draft).status_code == 404
        assert api(outsider).attach(agency_draft, "business_licence").status_code == 404


def test_a_reviewer_changes_no_claim_it_did_not_file(web, api, submitted_claim):
    # reviewer_jmj sees the enterprise's own claim (its department's) but may not change it.
    client = web("reviewer_jmj")
    attachment = api("ent_huadong").claim(submitted_claim).json["attachments"][0]["id"]
    for res in (
        client.upload(submitted_claim, "project_plan", PDF_BYTES, "a.pdf"),
        client.post(f"/claims/{submitted_claim}/edit", {"project_title": "x", "version": "1"}),
        client.post(f"/claims/{submitted_claim}/attachments/{attachment}/delete"),
    ):
        assert res.status_code == 403
        assert "只有申报企业可以修改申报" in text(res)


def test_the_claimant_sees_the_draft_and_consents_from_its_page(seeded, web, agency_draft):
    client = web("ent_huadong")
    assert "代办待确认" in text(client.get("/claims"))
    page = text(client.get(f"/claims/{agency_draft}"))
    assert BANNER in page
    assert f'action="/claims/{agency_draft}/agency-consent"' in page
    res = client.post(f"/claims/{agency_draft}/agency-consent", {"version": _version(page)})
    assert res.status_code == 302
    with seeded.app_context():
        claim = db.session.get(Claim, agency_draft)
        assert claim.agency_consent_by.username == "ent_huadong"
        assert claim.agency_consent_at is not None
    page = text(client.get(f"/claims/{agency_draft}"))
    assert BANNER not in page
    filer = re.search(r'id="agency-filer">([^<]*)<', page).group(1)
    assert filer.startswith("市经贸局 市经贸局初审，经申报单位 华东精密机械有限公司 于 ")


def test_a_consent_is_posted_with_its_csrf_token(web, agency_draft):
    client = web("ent_huadong")
    page = text(client.get(f"/claims/{agency_draft}"))
    res = client.post(
        f"/claims/{agency_draft}/agency-consent", {"version": _version(page)}, token=False
    )
    assert res.status_code == 400


def test_the_agent_submits_only_after_the_claimant_consented(seeded, api, agency_draft):
    agent = api("reviewer_jmj")
    refused = agent.fire(agency_draft, "submit")
    assert refused.status_code == 422
    assert "确认同意代办" in refused.json["error"]["message"]
    assert _consent(api, agency_draft).status_code == 200
    res = agent.fire(agency_draft, "submit")
    assert res.status_code == 200, res.json
    assert res.json["state"] == "submitted"
    with seeded.app_context():
        claim = db.session.get(Claim, agency_draft)
        event = claim.events[-1]
        assert event.actor.username == "reviewer_jmj"
        agency = event.payload["agency"]
        assert agency["agent"]["name"] == "市经贸局初审"
        assert agency["consented_by"]["name"] == "华东精密机械有限公司"
        assert agency["consented_at"] == claim.agency_consent_at.isoformat()
        receipt = db.session.scalar(select(Notice).where(Notice.event_id == event.id))
        out = subprocess.run(
            ["pdftotext", "-raw", "-", "-"], input=receipt.pdf, capture_output=True
        )
        words = re.sub(r"\s+", "", out.stdout.decode("utf-8"))
    assert receipt.kind == "receipt" and receipt.number.startswith("经贸兑")
    assert "代办人示范市经济贸易局市经贸局初审，经申报单位华东精密机械有限公司于" in words


def test_the_claimant_may_submit_the_agency_draft_once_it_consented(api, agency_draft):
    assert api("ent_huadong").fire(agency_draft, "submit").status_code == 422
    assert _consent(api, agency_draft).status_code == 200
    res = api("ent_huadong").fire(agency_draft, "submit")
    assert res.status_code == 200, res.json


def test_refusing_is_withdrawing_the_draft(api, agency_draft):
    res = api("ent_huadong").fire(agency_draft, "withdraw")
    assert res.status_code == 200, res.json
    late = _consent(api, agency_draft)
    assert late.status_code == 409 and late.json["error"]["code"] == "not_unsubmitted"
    assert api("reviewer_jmj").fire(agency_draft, "submit").status_code == 409


def test_a_reviewer_submits_no_claim_it_did_not_file(api, seeded, web):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in EVIDENCE:
        ent.attach(claim["id"], kind)
    version = api("admin").claim(claim["id"]).json["version"]
    res = api("reviewer_jmj").fire(claim["id"], "submit", version)
    assert res.status_code == 403
    assert res.json["error"]["message"] == "只有该申报的代办人可以代申报单位办理"


# The API ------------------------------------------------------------------------------------


def test_the_api_files_for_a_claimant_and_records_who_filed(api):
    res = _file(api)
    assert res.status_code == 201, res.json
    assert res.json["enterprise"]["credit_code"] == HUADONG
    assert res.json["agency"] == {
        "agent": res.json["agency"]["agent"] | {"name": "市经贸局初审", "department": "JMJ"},
        "consented_by": None,
        "consented_at": None,
    }
    # The claimant's own: in its list, with its notices; every one of its users sees it.
    mine = api("ent_huadong").get("/api/v1/claims").json["items"]
    assert res.json["id"] in [c["id"] for c in mine]
    assert "submit" in api("ent_huadong").claim(res.json["id"]).json["available_triggers"]


@pytest.mark.parametrize(
    ("who", "claimant", "policy", "status", "field"),
    [
        ("reviewer_jmj", "91330100MA2B3C4D5X", "JMJ-PLAN", 422, "on_behalf_of"),  # nobody's
        ("reviewer_jmj", "", "JMJ-PLAN", 422, "on_behalf_of"),
        ("reviewer_jmj", HUADONG, "KJJ-HITECH", 422, "policy_code"),  # another department's
        ("reviewer_jmj", HUADONG, "NOPE", 422, "policy_code"),
        ("reviewer_jmj", 12345, "JMJ-PLAN", 422, "on_behalf_of"),
        ("reviewer_jmj", "9" * 40, "JMJ-PLAN", 422, "on_behalf_of"),
        ("ent_jiangnan", HUADONG, "JMJ-PLAN", 403, None),  # no enterprise files for another
        ("finance", HUADONG, "JMJ-PLAN", 403, None),
    ],
)
def test_the_api_refuses_a_filing_it_cannot_make(api, who, claimant, policy, status, field):
    res = _file(api, who=who, claimant=claimant, policy=policy)
    assert res.status_code == status, res.json
    if field:
        assert field in res.json["error"]["fields"]
    assert api("ent_huadong").get("/api/v1/claims").json["items"] == []


def test_a_claimant_without_a_user_cannot_be_filed_for(seeded, api):
    with seeded.app_context():
        code = make_credit_code("91330100MA7U8K9W0")
        db.session.add(Enterprise(name="无账号企业有限公司", credit_code=code))
        db.session.commit()
    res = _file(api, claimant=code)
    assert res.status_code == 422
    assert res.json["error"]["code"] == "no_claimant_user"


def test_a_reviewer_without_on_behalf_of_files_nothing(api):
    res = api("reviewer_jmj").post(
        "/api/v1/claims",
        json={"policy_code": "JMJ-PLAN", "project_title": "x", "requested_amount": "1"},
    )
    assert res.status_code == 403


def test_only_the_claimants_users_consent_and_only_once(seeded, api, agency_draft):
    with seeded.app_context():  # a colleague of the claimant, who sees its claims too
        owner = db.session.scalar(select(User).filter_by(username="ent_huadong"))
        db.session.add(
            User(
                username="ent_huadong_2",
                password_hash=owner.password_hash,
                role="enterprise",
                display_name="李四",
                enterprise_id=owner.enterprise_id,
            )
        )
        db.session.commit()
    assert _consent(api, agency_draft, "ent_jiangnan").status_code == 404
    for official in ("reviewer_jmj", "admin"):
        res = _consent(api, agency_draft, official)
        assert res.status_code == 403 and res.json["error"]["message"] == "只有申报单位可以确认代办"
    res = _consent(api, agency_draft, "ent_huadong_2")
    assert res.status_code == 200, res.json
    assert res.json["agency"]["consented_by"]["name"] == "李四"
    again = _consent(api, agency_draft)
    assert again.status_code == 409 and again.json["error"]["code"] == "already_consented"


def test_a_consent_against_a_stale_page_is_refused(api, agency_draft):
    version = api("admin").claim(agency_draft).json["version"]
    res = api("ent_huadong").post(
        f"/api/v1/claims/{agency_draft}/agency-consent", json={"version": version - 1}
    )
    assert res.status_code == 409 and res.json["error"]["code"] == "stale_version"


def test_a_claim_the_claimant_filed_itself_needs_no_consent(api, submitted_claim):
    res = api("ent_huadong").post(f"/api/v1/claims/{submitted_claim}/agency-consent", json={})
    assert res.status_code == 409 and res.json["error"]["code"] == "not_agency"
