"""Fuzz fixtures: one seeded app per database for a whole module, claims in several states,
a request helper that counts every request and every server error, and the closing tally."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import update

from approvals import create_app
from approvals.demo import seed
from approvals.extensions import db
from approvals.organisations.models import User
from tests.conftest import DEMO, PASSWORD, PDF_BYTES, base_config
from tests.fuzz.hostile import TALLY, describe, plain_path

FUZZ_CONFIG = {
    # The form fuzz posts without reading tokens from pages; CSRF has tests of its own.
    "WTF_CSRF_ENABLED": False,
    # The rate limits' key functions read the body (the username) too: fuzz them, but with
    # limits no fuzz run reaches.
    "RATELIMIT_ENABLED": True,
    "SIGNIN_RATE_LIMIT": "100000 per minute",
    "SIGNUP_RATE_LIMIT": "100000 per minute",
    "PASSWORD_RESET_RATE_LIMIT": "100000 per minute",
}
ACCOUNTS = ("ent_huadong", "ent_jiangnan", "reviewer_jmj", "finance", "gov", "admin")


def rules(app, *, api: bool) -> list[tuple[str, str]]:
    """(rule, method) for every rule of the URL map on one side of /api/, static files aside."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/api/") != api:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.rule, method))
    return sorted(found)


def url_map_app():
    """An app made only to read its URL map at collection time (never opened)."""
    return create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _api_token(client, username: str) -> str | None:
    res = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    return res.json["token"] if res.status_code == 200 else None


def _claims_in_several_states(app) -> None:
    """Drafts, submitted and approved-by-department claims, so that edits, uploads and
    transitions get past 'not found' now and then. Best effort: the fuzz needs no claim."""
    client = app.test_client()
    tokens = {u: _api_token(client, u) for u in ("ent_huadong", "ent_jiangnan", "reviewer_jmj")}
    policies = client.get(
        "/api/v1/policies", headers={"Authorization": f"Bearer {tokens['ent_huadong']}"}
    ).json["items"]
    jmj = [p for p in policies if p["department"] == "JMJ" and not p["amount_inputs"]]
    for enterprise in ("ent_huadong", "ent_jiangnan"):
        headers = {"Authorization": f"Bearer {tokens[enterprise]}"}
        for step, policy in enumerate(jmj[:3]):
            body = {"policy_code": policy["code"], "project_title": "项目", "requested_amount": "1"}
            res = client.post("/api/v1/claims", json=body, headers=headers)
            if res.status_code != 201 or step == 0:
                continue  # the first stays a draft
            claim = res.json
            for kind in policy["required_evidence"]:
                client.post(
                    f"/api/v1/claims/{claim['id']}/attachments",
                    data={"kind": kind, "file": (BytesIO(PDF_BYTES), "a.pdf")},
                    headers=headers,
                    content_type="multipart/form-data",
                )
            body = {"trigger": "submit", "version": claim["version"]}
            res = client.post(
                f"/api/v1/claims/{claim['id']}/transitions", json=body, headers=headers
            )
            if res.status_code == 200 and step == 2:
                reviewer = {"Authorization": f"Bearer {tokens['reviewer_jmj']}"}
                body = {
                    "trigger": "dept_approve",
                    "version": res.json["version"],
                    "comment": "同意",
                }
                body["approved_amount"] = "1.00"
                client.post(
                    f"/api/v1/claims/{claim['id']}/transitions", json=body, headers=reviewer
                )


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def fuzz_app(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_server").create("fuzz")
    else:
        url = f"sqlite:///{tmp / 'fuzz.sqlite3'}"
    app = create_app({**base_config(tmp, url), **FUZZ_CONFIG})
    app.config["FUZZ_BACKEND"] = request.param
    with app.app_context():
        db.create_all()
        seed(DEMO)
    _claims_in_several_states(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def fuzz(fuzz_app):
    """The module's app, every account active again (an earlier endpoint's fuzz may have
    deactivated one through the administrator's page)."""
    with fuzz_app.app_context():
        db.session.execute(update(User).values(active=True))
        db.session.commit()
    return fuzz_app


def signed_in_clients(app) -> dict:
    """A web client per demo account, plus one signed out (None)."""
    clients = {None: app.test_client()}
    for username in ACCOUNTS:
        client = app.test_client()
        client.post("/signin", data={"username": username, "password": PASSWORD})
        clients[username] = client
    return clients


def api_tokens(app) -> dict:
    client = app.test_client()
    return {username: _api_token(client, username) for username in ACCOUNTS}


def send(app, client, suite: str, method: str, path: str, body=b"", content_type=None, **kw):
    """One fuzz request, counted; a 500 (or an exception the app let through) fails."""
    backend = app.config["FUZZ_BACKEND"]
    shown = describe(method, path, body, content_type)
    try:
        res = client.open(path, method=method, data=body, content_type=content_type, **kw)
    except Exception as exc:
        TALLY.add(suite, backend, True)
        raise AssertionError(f"server error on {shown}: {exc!r}") from exc
    res.get_data()  # read a streamed file to the end, and close it: no ResourceWarning
    res.close()
    TALLY.add(suite, backend, res.status_code >= 500)
    assert res.status_code < 500, f"{res.status_code} on {shown}"
    return res


def useful_actors(app, suite: str, clients: dict, method: str, rule: str, headers_for) -> list:
    """The actors worth fuzzing this rule as: those a plain request does not turn away
    (401, 403, or a redirect to sign in). Signed out is always kept."""
    keep = [None]
    for actor, client in clients.items():
        if actor is None:
            continue
        res = send(app, client, suite, method, plain_path(rule), headers=headers_for(actor))
        refused = res.status_code in (401, 403) or "/signin" in res.headers.get("Location", "")
        if not refused:
            keep.append(actor)
    return keep if len(keep) > 1 else list(clients)
