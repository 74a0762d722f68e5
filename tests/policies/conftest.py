"""Fixtures of the clause administration tests: an admin's API, a browser, a clause."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.web.conftest import web  # noqa: F401  (the fixture)


def clause(**overrides) -> dict:
    """A clause as the API takes it: 经贸局's, open now, with a basis and one kind of evidence."""
    today = date.today()
    return {
        "code": "JMJ-TEST",
        "title_zh": "测试政策条款",
        "department": "JMJ",
        "funding_type": "grant",
        "cap": "200000.00",
        "call_year": today.year,
        "window_open": (today - timedelta(days=10)).isoformat(),
        "window_close": (today + timedelta(days=10)).isoformat(),
        "required_evidence": ["business_licence"],
        "workflow": "enterprise_claim",
        "basis_title": "关于推进工业提升发展的若干政策意见（试行）",
        "basis_number": "市委发〔2026〕40号",
        "basis_clause": "第二条",
        **overrides,
    }


@pytest.fixture
def admin_api(api):
    return api("admin")


@pytest.fixture
def new_clause(admin_api):
    """new_clause(**overrides) → the code of a clause the administrator created (version 1)."""

    def make(**overrides) -> str:
        res = admin_api.post("/api/v1/admin/policies", json=clause(**overrides))
        assert res.status_code == 201, res.json
        assert res.json["version"] == 1
        return res.json["code"]

    return make
