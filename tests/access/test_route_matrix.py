"""Every rule of the URL map, for a signed-out visitor and every role, through the web and
the API, against the table of who may do what (`route_matrix.toml`, beside this test).

A request is *answered* when the app takes it up for this user (any 2xx or 3xx, or a 4xx
about the input such as 400, 409 or 422) and *refused* when it is not theirs: 401, 403,
404 or a redirect to the sign-in page. Each principal gets a world of its own (demo data,
a paid claim and a claim waiting in a draft batch, their evidence and notices), and walks
every rule: the GETs first, then the writes, signing out last. Any 500 fails, any answer
the table does not allow fails, and a rule missing from the table fails.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

TABLE = tomllib.loads((Path(__file__).with_name("route_matrix.toml")).read_text("utf-8"))
PRINCIPALS = (
    "anonymous",
    "ent_huadong",  # owns the claims of the world
    "ent_jiangnan",  # another enterprise
    "reviewer_jmj",  # the claims' department
    "reviewer_kjj",  # another department
    "finance",
    "gov",  # the claims never went to the government
    "admin",
)
REFUSED = {401, 403, 404}
LAST = ("auth.signout", "api.signout")  # these end every session of the user


def _principals(entry: list[str]) -> set[str]:
    """Table entries name principals, or groups: `everyone`, `signed_in`, `officials`."""
    groups = {
        "everyone": set(PRINCIPALS),
        "signed_in": set(PRINCIPALS) - {"anonymous"},
        "officials": {"reviewer_jmj", "reviewer_kjj", "finance", "gov"},
    }
    names: set[str] = set()
    for name in entry:
        names |= groups.get(name, {name})
    return names


@pytest.fixture
def world(seeded, api, send_form):
    """A paid claim (with evidence and notices) and an approved one in a draft batch."""
    from approvals.claims.models import Claim
    from approvals.extensions import db
    from approvals.notices.models import Notice

    ent, reviewer, finance = api("ent_huadong"), api("reviewer_jmj"), api("finance")
    ids = []
    for policy in ("JMJ-PLAN", "JMJ-TECHCENTRE"):
        claim = ent.create_claim(policy_code=policy, amount="100000.00")
        with seeded.app_context():
            required = db.session.get(Claim, claim["id"]).policy.required_evidence
        for kind in required:
            assert ent.attach(claim["id"], kind).status_code == 201
        assert ent.fire(claim["id"], "submit").status_code == 200
        res = reviewer.fire(
            claim["id"], "dept_approve", approved_amount="100000.00", comment="同意"
        )
        assert res.status_code == 200, res.json
        ids.append(claim["id"])
    [form_id] = send_form(*ids)  # 经贸局's 申请认定表 lists both
    for claim_id in ids:
        assert finance.fire(claim_id, "finance_approve", comment="同意").status_code == 200
    assert finance.fire(ids[0], "disburse", payment_reference="BOC-1").status_code == 200
    with seeded.app_context():
        from approvals.finance.batches import compose, confirm
        from approvals.organisations.credentials import issue_reset_link
        from approvals.organisations.models import User

        actor = db.session.scalar(db.select(User).filter_by(username="finance"))
        batch = compose(actor, [ids[1]])
        batch = confirm(actor, batch.id)
        claim = db.session.get(Claim, ids[0])
        notice = db.session.scalar(db.select(Notice).filter_by(claim_id=claim.id))
        admin = db.session.scalar(db.select(User).filter_by(username="admin"))
        reviewer = db.session.scalar(db.select(User).filter_by(username="reviewer_kjj"))
        # Whoever holds a reset link may use it; the token is the link's last segment.
        link = issue_reset_link(admin, reviewer.id)
        # A review task of 经贸局 from the paid claim's first review, long left behind.
        from approvals.workflow.models import ReviewTask

        task = ReviewTask(
            claim_id=claim.id,
            state="submitted",
            round=1,
            department_id=claim.department_id,
            role="reviewer",
        )
        db.session.add(task)
        # A delegation of 经贸局's reviewer to a colleague outside the walk, from tomorrow:
        # revocable, and no right to anything yet.
        from datetime import timedelta

        from approvals.clock import local_today
        from approvals.workflow.models import Delegation

        colleague = db.session.scalar(db.select(User).filter_by(username="reviewer_zsj"))
        principal = db.session.scalar(db.select(User).filter_by(username="reviewer_jmj"))
        tomorrow = local_today() + timedelta(days=1)
        delegation = Delegation(
            principal=principal,
            substitute=colleague,
            starts_on=tomorrow,
            ends_on=tomorrow,
            reason="出差",
            created_by=principal,
        )
        db.session.add(delegation)
        db.session.commit()
        return {
            "delegation_id": delegation.id,
            "task_id": task.id,
            "token": link.url.rsplit("/", 1)[1],
            "claim_id": claim.id,
            "attachment_id": claim.attachments[0].id,
            "notice_id": notice.id,
            "code": notice.verification_code,
            "batch_id": batch.id,
            "form_id": form_id,
            "user_id": claim.created_by_id,
        }


VALUES = {
    "fmt": "csv",
    "key": "states",
    "action": "record_repayment",
    "name": "enterprise_claim",  # a loaded workflow (the administrator's workflow pages)
    "policy_code": "JMJ-PLAN",  # a clause (the administrator's clause pages)
}
# Query strings a page needs to be itself (the claim form names its policy).
QUERIES = {"claims.new": "?policy=JMJ-PLAN"}


def _url(rule, world: dict) -> str:
    values = {}
    for name in rule.arguments:
        if name in world:
            values[name] = world[name]
        elif name == "filename":
            values[name] = "app.css"
        elif name == "code" and rule.endpoint == "web.switch_language":
            values[name] = "en"
        elif name.endswith("_id") and name not in VALUES:  # a row nobody in this world has
            values[name] = 999999
        else:
            values[name] = VALUES.get(name, "x")
    if rule.endpoint.startswith("notices.") and "code" in rule.arguments:
        values["code"] = world["code"]
    from flask import url_for

    return url_for(rule.endpoint, **values) + QUERIES.get(rule.endpoint, "")


def _requests(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    calls = [
        (rule, method) for rule in rules for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    # Reads first, then writes; signing out last, so that the walk stays signed in.
    return sorted(calls, key=lambda c: (c[0].endpoint in LAST, c[1] != "GET", c[0].rule, c[1]))


def _classify(res) -> str:
    if res.status_code >= 500:
        return "error"
    if _wrong_credentials(res):
        return "answered"  # the sign-in itself, answering the credentials it was given
    if res.status_code in REFUSED:
        return "refused"
    if res.status_code in (301, 302, 303) and "/signin?next=" in res.headers.get("Location", ""):
        return "refused"
    return "answered"


def _wrong_credentials(res) -> bool:
    if res.status_code != 401:
        return False
    if res.is_json:
        return res.json["error"]["code"] == "invalid_credentials"
    return 'name="password"' in res.get_data(as_text=True)  # the sign-in form again


def _client(app, principal: str):
    client = app.test_client()
    headers = {}
    if principal != "anonymous":
        res = client.post("/signin", data={"username": principal, "password": PASSWORD})
        assert res.status_code == 302, res.get_data(as_text=True)
        token = client.post(
            "/api/v1/auth/token", json={"username": principal, "password": PASSWORD}
        ).json["token"]
        headers = {"Authorization": f"Bearer {token}"}
    return client, headers


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_every_route_answers_only_whom_the_table_allows(seeded, world, principal):
    seeded.config["WTF_CSRF_ENABLED"] = False  # CSRF has its own tests; here: who may
    client, headers = _client(seeded, principal)
    wrong, missing, tried = [], [], 0
    for rule, method in _requests(seeded):
        entry = TABLE["routes"].get(rule.endpoint, {})
        if method not in entry:
            missing.append(f"{rule.endpoint} {method}")
            continue
        with seeded.test_request_context():
            url = _url(rule, world)
        if rule.endpoint in LAST:  # each sign-out ends every session: sign in afresh
            client, headers = _client(seeded, principal)
        api = rule.rule.startswith("/api/")
        res = client.open(
            url,
            method=method,
            headers=headers if api else {},
            json={} if api and method != "GET" else None,
        )
        tried += 1
        res.close()
        got = _classify(res)
        allowed = _principals(entry[method])
        expected = "answered" if principal in allowed else "refused"
        if got != expected:
            wrong.append(
                f"{method} {url} ({rule.endpoint}): {res.status_code}, expected {expected}"
            )
    print(f"route matrix {principal}: {tried} requests, {len(wrong)} not allowed")
    assert not missing, "rules missing from route_matrix.toml:\n" + "\n".join(missing)
    assert not wrong, "\n".join(wrong)
