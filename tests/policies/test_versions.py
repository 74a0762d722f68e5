"""A clause in use is versioned: a claim keeps the terms it was filed under."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.policies.models import Policy, PolicyVersion


def _basis_printed(app, claim_id: int) -> str:
    with app.app_context():
        notice = db.session.scalar(
            select(Notice).where(Notice.claim_id == claim_id, Notice.kind == "receipt")
        )
        return notice.all_facts["basis_clause"]


def test_an_edit_to_a_clause_in_use_makes_version_2_and_its_claims_keep_version_1(
    seeded, api, admin_api, new_clause, make_enterprise
):
    code = new_clause(cap="200000.00", required_evidence=["business_licence"])
    ent = api("ent_huadong")
    old = ent.create_claim(code, "150000.00")
    assert old["policy_version"] == 1

    edit = {
        "cap": "100000.00",
        "required_evidence": ["business_licence", "project_plan"],
        "basis_clause": "第九条",
    }
    res = admin_api.patch(f"/api/v1/admin/policies/{code}", json=edit)
    assert res.status_code == 200 and res.json["version"] == 2

    # The old claim keeps version 1: its cap, its evidence, its basis.
    res = ent.patch(
        f"/api/v1/claims/{old['id']}",
        json={"requested_amount": "160000.00", "version": ent.claim(old["id"]).json["version"]},
    )
    assert res.status_code == 200, res.json
    assert res.json["policy_version"] == 1
    assert ent.attach(old["id"], "business_licence").status_code == 201
    assert ent.fire(old["id"], "submit").status_code == 200  # project_plan not required of it
    assert _basis_printed(seeded, old["id"]) == "第二条"

    # A new claim is filed under version 2.
    other = api(make_enterprise())
    res = other.post(
        "/api/v1/claims",
        json={"policy_code": code, "project_title": "新项目", "requested_amount": "150000.00"},
    )
    assert res.status_code == 422 and "requested_amount" in res.json["error"]["fields"]
    new = other.create_claim(code, "90000.00", "新项目")
    assert new["policy_version"] == 2
    assert other.attach(new["id"], "business_licence").status_code == 201
    refused = other.fire(new["id"], "submit")
    assert refused.status_code in (409, 422) and "项目方案" in refused.json["error"]["message"]
    assert other.attach(new["id"], "project_plan").status_code == 201
    assert other.fire(new["id"], "submit").status_code == 200
    assert _basis_printed(seeded, new["id"]) == "第九条"

    versions = admin_api.get(f"/api/v1/admin/policies/{code}/versions").json["versions"]
    assert [(v["version"], v["claims_filed"], v["cap"]) for v in versions] == [
        (2, 1, "100000.00"),
        (1, 1, "200000.00"),
    ]
    assert versions[0]["basis"]["clause"] == "第九条"
    assert versions[1]["required_evidence"] == ["business_licence"]


def test_a_reviewer_approves_a_filed_claim_within_the_cap_it_was_filed_under(
    seeded, api, admin_api, make_claim
):
    claim = make_claim("submitted", policy="JMJ-PLAN", requested_amount="120000.00")
    res = admin_api.patch("/api/v1/admin/policies/JMJ-PLAN", json={"cap": "50000.00"})
    assert res.status_code == 200 and res.json["version"] == 2
    res = api("reviewer_jmj").fire(
        claim.id, "dept_approve", approved_amount="120000.00", comment="同意"
    )
    assert res.status_code == 200, res.json
    assert res.json["policy_version"] == 1
    with seeded.app_context():
        event = db.session.scalars(
            select(PolicyVersion).where(PolicyVersion.policy.has(code="JMJ-PLAN"))
        ).all()
        assert sorted(v.version for v in event) == [1, 2]


def test_the_claim_page_says_which_version_a_claim_follows(seeded, admin_api, make_claim, web):
    claim = make_claim("submitted", policy="JMJ-PLAN")
    retitled = {"title_zh": "工业平台规划经费（修订）"}
    assert admin_api.patch("/api/v1/admin/policies/JMJ-PLAN", json=retitled).status_code == 200
    page = web("reviewer_jmj").get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "按第 1 版条款办理" in page
    assert "工业平台规划编制经费" in page  # the title it was filed under


def test_the_call_window_is_the_clauses_as_it_stands(seeded, api, admin_api, new_clause):
    code = new_clause()
    ent = api("ent_huadong")
    draft = ent.create_claim(code, "1000.00")
    ent.attach(draft["id"], "business_licence")
    yesterday = date.today() - timedelta(days=1)
    closed = {
        "window_open": (yesterday - timedelta(days=20)).isoformat(),
        "window_close": yesterday.isoformat(),
    }
    assert admin_api.patch(f"/api/v1/admin/policies/{code}", json=closed).status_code == 200
    res = ent.fire(draft["id"], "submit")
    assert res.status_code in (409, 422) and "申报期" in res.json["error"]["message"]


def test_the_call_year_of_a_clause_in_use_is_fixed(api, admin_api, new_clause):
    code = new_clause()
    year = date.today().year
    assert (
        admin_api.patch(f"/api/v1/admin/policies/{code}", json={"call_year": year + 1}).json[
            "call_year"
        ]
        == year + 1
    )
    admin_api.patch(f"/api/v1/admin/policies/{code}", json={"call_year": year})
    api("ent_huadong").create_claim(code, "1000.00")
    res = admin_api.patch(f"/api/v1/admin/policies/{code}", json={"call_year": year + 1})
    assert res.status_code == 422 and set(res.json["error"]["fields"]) == {"call_year"}


def test_every_change_of_terms_is_versioned_whoever_makes_it(seeded, make_policy):
    """Seeding writes a clause and then its basis in one transaction: one version. A later
    change made outside the administrator's pages (a command, a script) is a new one."""
    code = make_policy(basis_clause="第一条")
    with seeded.app_context():
        policy = db.session.scalar(select(Policy).filter_by(code=code))
        assert policy.version == 1 and [v.basis_clause for v in policy.versions] == ["第一条"]
        policy.window_close = policy.window_close + timedelta(days=5)
        policy.basis_clause = "第三条"
        db.session.commit()
        assert policy.version == 2
        assert [(v.version, v.basis_clause, v.created_by) for v in policy.versions] == [
            (1, "第一条", None),
            (2, "第三条", None),
        ]
        demo = db.session.scalar(select(Policy).filter_by(code="JMJ-PLAN"))
        assert demo.version == 1 and demo.versions[0].basis_clause == "第二条"
