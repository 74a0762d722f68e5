"""The administrator gives a clause its conditions, on the clause form and through the API:
checked key by key, and, being terms of the clause, kept in its versions."""

from __future__ import annotations

import json
import re

import pytest

from tests.policies.conftest import clause
from tests.web.conftest import text

CONDITIONS = [
    {"kind": "qualification", "qualification": "high_tech"},
    {"kind": "figure", "figure": "rd_spend", "min": 1000000},
]


@pytest.fixture
def admin_api(api):
    return api("admin")


def test_conditions_through_the_api_are_a_new_version_of_the_terms(admin_api):
    res = admin_api.post("/api/v1/admin/policies", json=clause(code="JMJ-ELIG"))
    assert res.status_code == 201 and res.json["eligibility"] == []
    res = admin_api.patch("/api/v1/admin/policies/JMJ-ELIG", json={"eligibility": CONDITIONS})
    assert res.status_code == 200, res.json
    assert res.json["version"] == 2
    assert res.json["eligibility"][1] == {
        "kind": "figure",
        "figure": "rd_spend",
        "min": "1000000.00",
    }
    versions = admin_api.get("/api/v1/admin/policies/JMJ-ELIG/versions").json["versions"]
    assert [v["eligibility"] != [] for v in versions] == [True, False]  # newest first
    res = admin_api.patch("/api/v1/admin/policies/JMJ-ELIG", json={"eligibility": None})
    assert res.status_code == 200 and res.json["eligibility"] == []


def test_wrong_conditions_through_the_api_are_named(admin_api):
    body = {"eligibility": [{"kind": "size", "sizes": ["giant"]}, {"kind": "colour"}]}
    res = admin_api.patch("/api/v1/admin/policies/JMJ-PLAN", json=body)
    assert res.status_code == 422
    assert set(res.json["error"]["fields"]) == {"eligibility.1.sizes", "eligibility.2.kind"}
    res = admin_api.patch("/api/v1/admin/policies/JMJ-PLAN", json={"eligibility": "high_tech"})
    assert res.status_code == 422 and "eligibility" in res.json["error"]["fields"]


def _form_of(seeded, code: str) -> dict:
    from sqlalchemy import select

    from approvals.extensions import db
    from approvals.policies.forms import form_data
    from approvals.policies.models import Policy

    with seeded.app_context():
        data = form_data(db.session.scalar(select(Policy).where(Policy.code == code)))
    return {k: v for k, v in data.items() if v is not False and v is not None}


def test_the_clause_form_edits_the_conditions(seeded, web, admin_api):
    admin = web("admin")
    page = text(admin.get("/admin/policies/KJJ-HITECH"))
    assert 'name="eligibility"' in page and "high_tech" in page  # the demo's condition
    form = _form_of(seeded, "KJJ-HITECH") | {"eligibility": json.dumps(CONDITIONS)}
    res = admin.post("/admin/policies/KJJ-HITECH", form)
    assert res.status_code == 302, text(res)
    made = admin_api.get("/api/v1/admin/policies/KJJ-HITECH").json
    assert made["eligibility"][1]["min"] == "1000000.00"
    page = text(admin.get("/admin/policies/KJJ-HITECH"))
    assert "研发投入不低于1,000,000.00元" in page  # the conditions in words

    form = _form_of(seeded, "KJJ-HITECH")  # the version it now stands at
    res = admin.post("/admin/policies/KJJ-HITECH", form | {"eligibility": "[{oops"})
    assert res.status_code == 422
    assert re.search(r'<div class="field has-error">\s*<label for="eligibility"', text(res))
    bad = json.dumps([{"kind": "age", "min_years": 500}])
    res = admin.post("/admin/policies/KJJ-HITECH", form | {"eligibility": bad})
    assert res.status_code == 422 and "第1项" in text(res)
