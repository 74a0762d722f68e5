"""The administrator's clauses through the API: create, edit, validation, who may."""

from __future__ import annotations

import pytest

from tests.policies.conftest import clause


def test_admin_creates_a_clause_with_every_term(admin_api):
    body = clause(
        joint_review=["KJJ", "JMJ"],
        amount_rule={"type": "percentage", "rate": "0.3", "cap": "150000"},
        exclusive_group="platform",
        claimant_types=["enterprise", "platform"],
        signoff_threshold="50000.00",
        rewards_people=True,
        requires_government_approval=True,
        title_en="Test clause",
        description="说明文字",
    )
    res = admin_api.post("/api/v1/admin/policies", json=body)
    assert res.status_code == 201, res.json
    made = res.json
    assert made["version"] == 1
    assert made["department"] == "JMJ" and made["joint_review"] == ["KJJ", "JMJ"]
    assert made["amount_rule"] == {"type": "percentage", "rate": "0.3", "cap": "150000"}
    assert made["basis"] == {
        "title": body["basis_title"],
        "number": "市委发〔2026〕40号",
        "clause": "第二条",
    }
    assert made["cap"] == "200000.00" and made["signoff_threshold"] == "50000.00"
    assert made["exclusive_group"] == "platform" and made["rewards_people"] is True
    assert made["claimant_types"] == ["enterprise", "platform"]
    listed = admin_api.get("/api/v1/admin/policies").json["policies"]
    assert "JMJ-TEST" in [p["code"] for p in listed]
    history = admin_api.get("/api/v1/admin/policies/JMJ-TEST/versions").json
    assert [v["version"] for v in history["versions"]] == [1]
    assert history["versions"][0]["created_by"] == "admin"
    assert history["versions"][0]["claims_filed"] == 0


def test_admin_edits_a_clause_and_each_edit_is_a_version(admin_api, new_clause):
    code = new_clause()
    res = admin_api.patch(
        f"/api/v1/admin/policies/{code}",
        json={"cap": "180000", "required_evidence": ["business_licence", "project_plan"]},
    )
    assert res.status_code == 200, res.json
    assert res.json["version"] == 2 and res.json["cap"] == "180000.00"
    # Nothing changed: no new version.
    same = admin_api.patch(f"/api/v1/admin/policies/{code}", json={"cap": "180000.00"})
    assert same.status_code == 200 and same.json["version"] == 2
    # null clears a rule; a stale version is refused, never overwritten.
    admin_api.patch(
        f"/api/v1/admin/policies/{code}", json={"amount_rule": {"type": "fixed", "amount": "5000"}}
    )
    cleared = admin_api.patch(f"/api/v1/admin/policies/{code}", json={"amount_rule": None})
    assert cleared.json["amount_rule"] is None and cleared.json["version"] == 4
    stale = admin_api.patch(f"/api/v1/admin/policies/{code}", json={"cap": "1000", "version": 2})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "stale_version"
    versions = admin_api.get(f"/api/v1/admin/policies/{code}/versions").json["versions"]
    assert [(v["version"], v["cap"]) for v in versions] == [
        (4, "180000.00"),
        (3, "180000.00"),
        (2, "180000.00"),
        (1, "200000.00"),
    ]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"cap": "-5"}, {"cap"}),
        ({"department": "NOPE", "joint_review": ["KJJ", "XYZ"]}, {"department", "joint_review"}),
        ({"funding_type": "gift", "workflow": "no_such_flow"}, {"funding_type", "workflow"}),
        ({"required_evidence": ["business_licence", "passport"]}, {"required_evidence"}),
        ({"window_open": "2026-09-30", "window_close": "2026-09-01"}, {"window_close"}),
        ({"amount_rule": {"type": "percentage", "rate": "1.5"}}, {"amount_rule.rate"}),
        ({"amount_rule": {"type": "bonus"}}, {"amount_rule.type"}),
        ({"amount_rule": {"type": "fixed", "amount": "5000", "cpa": "1"}}, {"amount_rule.cpa"}),
        ({"claimant_types": []}, {"claimant_types"}),
        ({"code": "bad code"}, {"code"}),
        ({"cap": True, "call_year": "2026"}, {"cap", "call_year"}),
    ],
)
def test_wrong_terms_are_refused_field_by_field(admin_api, body, fields):
    res = admin_api.post("/api/v1/admin/policies", json=clause(**body))
    assert res.status_code == 422, res.json
    assert res.json["error"]["code"] == "invalid"
    assert set(res.json["error"]["fields"]) == fields
    assert admin_api.get("/api/v1/admin/policies/JMJ-TEST").status_code == 404


def test_a_new_clause_needs_its_terms_and_a_code_of_its_own(admin_api, new_clause):
    res = admin_api.post("/api/v1/admin/policies", json={"code": "JMJ-BARE"})
    assert res.status_code == 422
    assert {"title_zh", "department", "funding_type", "cap", "call_year"} <= set(
        res.json["error"]["fields"]
    )
    new_clause()
    again = admin_api.post("/api/v1/admin/policies", json=clause())
    assert again.status_code == 422 and set(again.json["error"]["fields"]) == {"code"}


def test_an_edit_refuses_wrong_terms_and_changes_nothing(admin_api, new_clause):
    code = new_clause()
    res = admin_api.patch(
        f"/api/v1/admin/policies/{code}",
        json={"department": "NOPE", "window_close": "2000-01-01", "code": "OTHER"},
    )
    assert res.status_code == 422
    assert set(res.json["error"]["fields"]) == {"department", "code"}
    res = admin_api.patch(f"/api/v1/admin/policies/{code}", json={"window_close": "2000-01-01"})
    assert set(res.json["error"]["fields"]) == {"window_close"}
    kept = admin_api.get(f"/api/v1/admin/policies/{code}").json
    assert kept["version"] == 1 and kept["cap"] == "200000.00"


def test_a_body_that_is_not_an_object_is_a_bad_request(admin_api, new_clause):
    code = new_clause()
    res = admin_api.patch(
        f"/api/v1/admin/policies/{code}", data="[1]", content_type="application/json"
    )
    assert res.status_code == 400 and res.json["error"]["code"] == "bad_request"
    res = admin_api.post("/api/v1/admin/policies", json={"required_evidence": "all", "cap": {}})
    assert res.status_code == 422
    assert set(res.json["error"]["fields"]) == {"required_evidence", "cap"}


@pytest.mark.parametrize("username", ["ent_huadong", "reviewer_jmj", "finance", "gov"])
def test_only_an_administrator_manages_clauses(api, username):
    other = api(username)
    for res in (
        other.get("/api/v1/admin/policies"),
        other.post("/api/v1/admin/policies", json=clause()),
        other.get("/api/v1/admin/policies/JMJ-PLAN"),
        other.patch("/api/v1/admin/policies/JMJ-PLAN", json={"cap": "1"}),
        other.get("/api/v1/admin/policies/JMJ-PLAN/versions"),
    ):
        assert res.status_code == 403, res.json
        assert res.json["error"]["code"] == "forbidden"
    assert api(None).get("/api/v1/admin/policies").status_code == 401
