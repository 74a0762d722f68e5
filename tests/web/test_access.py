"""Every page refuses a signed-out visitor, a wrong role, and a user who may not see the claim."""

from __future__ import annotations

import pytest

from tests.conftest import PDF_BYTES
from tests.web.conftest import text

ROLES = {
    "enterprise": "ent_huadong",
    "reviewer": "reviewer_jmj",
    "finance": "finance",
    "government": "gov",
    "admin": "admin",
}
ALL = tuple(ROLES)

# (method, path, roles allowed); {c} a claim of ent_huadong, {a} its evidence, {n} its notice.
ROUTES = [
    ("GET", "/policies", ALL),
    ("GET", "/claims", ("enterprise",)),
    ("GET", "/claims/new?policy=JMJ-PLAN", ("enterprise",)),
    ("POST", "/claims/new?policy=JMJ-PLAN", ("enterprise",)),
    ("GET", "/claims/{c}", ALL),
    # A reviewer changes a claim it files for the claimant (全程代办), no other: refused with
    # the rule's reason on this one (tests/claims/test_agency.py).
    ("POST", "/claims/{c}/edit", ("enterprise", "reviewer")),
    ("POST", "/claims/{c}/attachments", ("enterprise", "reviewer")),
    ("POST", "/claims/{c}/attachments/{a}/delete", ("enterprise", "reviewer")),
    ("GET", "/claims/{c}/attachments/{a}", ALL),
    ("POST", "/claims/{c}/act", ALL),
    ("GET", "/claims/{c}/notices/{n}.pdf", ALL),
    ("GET", "/colleagues", ("enterprise",)),
    ("POST", "/colleagues", ("enterprise",)),
    ("GET", "/queue", ("reviewer", "finance", "government")),
    ("POST", "/queue/batch", ("finance",)),
    ("GET", "/overview", ("admin",)),
    ("POST", "/signout", ALL),
]
WRONG_ROLE = [(m, p, role) for m, p, allowed in ROUTES for role in ALL if role not in allowed]
CLAIM_ROUTES = [(m, p) for m, p, _ in ROUTES if "{c}" in p]
SHARED_CLAIM_ROUTES = [(m, p) for m, p, allowed in ROUTES if "{c}" in p and allowed == ALL]


@pytest.fixture
def backend():
    """Access rules do not depend on the database: this table runs on SQLite only."""
    return "sqlite"


@pytest.fixture
def ids(api, submitted_claim):
    """A submitted claim of ent_huadong, its first evidence file and its receipt notice."""
    claim = api("ent_huadong").claim(submitted_claim).json
    return {
        "c": submitted_claim,
        "a": claim["attachments"][0]["id"],
        "n": claim["notices"][0]["id"],
    }


def _call(client, method, path, ids):
    url = path.format(**ids)
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_signed_out_visitor_is_sent_to_sign_in(web, ids, method, path, allowed):
    res = _call(web(None), method, path, ids)
    assert res.status_code == 302
    assert res.location.startswith("/signin?next=")


@pytest.mark.parametrize(("method", "path", "role"), WRONG_ROLE)
def test_wrong_role_is_forbidden(web, ids, method, path, role):
    res = _call(web(ROLES[role]), method, path, ids)
    assert res.status_code == 403
    assert "无权" in text(res)


@pytest.mark.parametrize(("method", "path"), CLAIM_ROUTES)
def test_claim_of_another_enterprise_is_not_found(web, ids, method, path):
    assert _call(web("ent_jiangnan"), method, path, ids).status_code == 404


@pytest.mark.parametrize(("method", "path"), SHARED_CLAIM_ROUTES)
def test_claim_of_another_department_is_not_found(web, ids, method, path):
    assert _call(web("reviewer_kjj"), method, path, ids).status_code == 404


def test_api_keeps_answering_json_without_a_session(web):
    res = web(None).get("/api/v1/policies")
    assert res.status_code == 401
    assert res.json["error"]["code"]


def test_evidence_opens_inline_with_nosniff(web, api, submitted_claim):
    claim = api("ent_huadong").claim(submitted_claim).json
    path = f"/claims/{submitted_claim}/attachments/{claim['attachments'][0]['id']}"
    with web("reviewer_jmj").get(path) as res:  # closes the served file
        assert res.status_code == 200
        body = res.data
    assert body == PDF_BYTES
    assert res.headers["Content-Type"] == "application/pdf"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["Content-Disposition"].startswith("inline")
