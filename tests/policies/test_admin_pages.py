"""The administrator's clause pages: the list, a new clause, an edit, errors on the form."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.policies.conftest import clause


def _text(res) -> str:
    return res.get_data(as_text=True)


def _form(**overrides) -> dict:
    """The new-clause form as a browser posts it (multi-selects as lists)."""
    body = clause()
    form = {k: v for k, v in body.items() if not isinstance(v, list)}
    form |= {"required_evidence": body["required_evidence"], "claimant_types": ["enterprise"]}
    form["call_year"] = str(form["call_year"])
    form |= overrides
    return form


def test_the_admin_navigation_leads_to_the_clauses(web):
    admin = web("admin")
    home = _text(admin.get("/admin/policies"))
    assert 'href="/admin/policies"' in home
    assert "JMJ-PLAN" in home and 'href="/admin/policies/new"' in home


def test_admin_creates_a_clause_on_the_web(web, admin_api):
    admin = web("admin")
    page = _text(admin.get("/admin/policies/new"))
    assert 'name="joint_review"' in page and "multiple" in page
    assert 'value="enterprise_claim"' in page and 'value="loan_contract"' in page
    form = _form(joint_review=["KJJ"], rule_type="percentage", rule_rate="0.3", rule_cap="90000")
    res = admin.post("/admin/policies/new", form)
    assert res.status_code == 302, _text(res)
    assert res.headers["Location"].endswith("/admin/policies/JMJ-TEST")
    made = admin_api.get("/api/v1/admin/policies/JMJ-TEST").json
    assert made["amount_rule"] == {"type": "percentage", "rate": "0.3", "cap": "90000"}
    assert made["joint_review"] == ["KJJ"] and made["basis"]["clause"] == "第二条"
    page = _text(admin.get("/admin/policies/JMJ-TEST"))
    assert 'id="version-1"' in page and "初始版本" in page


def test_wrong_input_is_shown_on_the_form_and_nothing_typed_is_lost(web, admin_api):
    admin = web("admin")
    form = _form(
        cap="abc",
        window_open="2026-09-30",
        window_close="2026-09-01",
        rule_type="percentage",
        rule_rate="1.5",
        title_zh="保留这个名称",
        department="NOPE",
    )
    res = admin.post("/admin/policies/new", form)
    assert res.status_code == 422
    page = _text(res)
    assert "金额格式不正确" in page  # the cap
    assert "请选择有效的部门" in page
    assert "资助比例是 0 至 1 之间的比例" in page
    assert re.search(r'name="title_zh"[^>]*value="保留这个名称"', page)
    assert re.search(r'name="rule_rate"[^>]*value="1.5"', page)
    assert admin_api.get("/api/v1/admin/policies/JMJ-TEST").status_code == 404
    # The window, once the rest is right.
    res = admin.post(
        "/admin/policies/new", _form(window_open="2026-09-30", window_close="2026-09-01")
    )
    assert res.status_code == 422 and "申报截止日期不能早于开始日期" in _text(res)


def test_admin_edits_a_clause_in_use_and_sees_its_versions(web, admin_api, make_claim):
    make_claim("submitted", policy="JMJ-PLAN")
    admin = web("admin")
    page = _text(admin.get("/admin/policies/JMJ-PLAN"))
    assert 'id="in-use"' in page
    assert re.search(r'name="cap"[^>]*value="300000.00"', page)
    form = dict(admin_api.get("/api/v1/admin/policies/JMJ-PLAN").json)
    posted = {
        "title_zh": form["title"],
        "title_en": form["title_en"],
        "department": "JMJ",
        "funding_type": "grant",
        "workflow": "enterprise_claim",
        "cap": "250000.00",
        "call_year": str(form["call_year"]),
        "window_open": form["window_open"],
        "window_close": form["window_close"],
        "required_evidence": ["business_licence", "project_plan", "financial_statement"],
        "claimant_types": ["enterprise"],
        "basis_title": form["basis"]["title"],
        "basis_number": form["basis"]["number"],
        "basis_clause": form["basis"]["clause"],
        "version": "1",
    }
    res = admin.post("/admin/policies/JMJ-PLAN", posted)
    assert res.status_code == 302, _text(res)
    page = _text(admin.get("/admin/policies/JMJ-PLAN"))
    assert "第 2 版" in page and 'id="version-2"' in page and 'id="version-1"' in page
    row = re.search(r'<tr id="version-2">.*?</tr>', page, re.S).group()
    assert "上限（元）" in row and "所需材料" in row and "250,000.00" in row
    # The same form again is stale: version 1 was read, version 2 stands.
    res = admin.post("/admin/policies/JMJ-PLAN", posted | {"cap": "1000.00"})
    assert res.status_code == 409 and "已被他人修改" in _text(res)
    # A wrong edit: errors on the form, the clause unchanged.
    res = admin.post("/admin/policies/JMJ-PLAN", posted | {"version": "2", "cap": "0"})
    assert res.status_code == 422 and "金额必须大于0" in _text(res)
    assert admin_api.get("/api/v1/admin/policies/JMJ-PLAN").json["cap"] == "250000.00"


@pytest.mark.parametrize("username", ["ent_huadong", "reviewer_jmj", "finance"])
def test_other_roles_cannot_open_the_clause_pages(web, username):
    other = web(username)
    assert other.get("/admin/policies").status_code == 403
    assert other.get("/admin/policies/JMJ-PLAN").status_code == 403
    assert other.post("/admin/policies/new", _form()).status_code == 403
    future = (date.today() + timedelta(days=1)).isoformat()
    assert other.post("/admin/policies/JMJ-PLAN", {"window_close": future}).status_code == 403
