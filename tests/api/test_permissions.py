"""Who may fire what: a table of role × trigger, department scope, enterprise isolation."""

import pytest

from tests.conftest import DEMO

ALL_USERS = [
    "ent_huadong",
    "ent_jiangnan",
    "reviewer_jmj",
    "reviewer_kjj",
    "finance",
    "gov",
    "admin",
]
# trigger → (state to put the claim in, the one demo account allowed to fire it)
TABLE = {
    "submit": ("draft", "ent_huadong"),
    "withdraw": ("submitted", "ent_huadong"),
    "return_for_supplement": ("submitted", "reviewer_jmj"),
    "dept_approve": ("submitted", "reviewer_jmj"),
    "dept_reject": ("submitted", "reviewer_jmj"),
    "dept_reopen": ("recognised", "reviewer_jmj"),
    "finance_approve": ("finance_review", "finance"),
    "finance_send_back": ("finance_review", "finance"),
    "finance_reject": ("finance_review", "finance"),
    "gov_approve": ("government_review", "gov"),
    "gov_send_back": ("government_review", "gov"),
    "gov_reject": ("government_review", "gov"),
    "disburse": ("approved", "finance"),
}
PAYLOAD = {"comment": "意见", "approved_amount": "1000.00", "payment_reference": "REF-1"}


def claim_in(api, state, send_form):
    """A JMJ-INFRA claim (city approval needed) by 华东精密机械, moved to `state`; the
    department's 申请认定表 carries it from `recognised` to finance."""
    ent = api("ent_huadong")
    claim = ent.create_claim("JMJ-INFRA", "50000.00", "贴息项目")
    cid = claim["id"]
    for kind in ("business_licence", "loan_contract", "interest_voucher"):
        ent.attach(cid, kind)
    if state == "draft":
        return cid
    steps = [
        ("submit", ent),
        ("dept_approve", api("reviewer_jmj")),
        ("forward_to_finance", None),
        ("finance_approve", api("finance")),
        ("gov_approve", api("gov")),
    ]
    order = ["submitted", "recognised", "finance_review", "government_review", "approved"]
    for (trigger, who), reached in zip(steps, order, strict=True):
        if who is None:
            send_form(cid)
        else:
            assert who.fire(cid, trigger, **PAYLOAD).status_code == 200
        if reached == state:
            return cid
    raise AssertionError(state)


@pytest.mark.parametrize("trigger", sorted(TABLE))
def test_each_trigger_refused_for_every_wrong_role(api, trigger, send_form):
    state, allowed = TABLE[trigger]
    cid = claim_in(api, state, send_form)
    version = api("admin").claim(cid).json["version"]
    for username in ALL_USERS:
        if username == allowed:
            continue
        res = api(username).fire(cid, trigger, version=version, **PAYLOAD)
        if username == "ent_jiangnan":
            assert res.status_code == 404, (username, res.json)  # not even told it exists
        else:
            assert res.status_code == 403, (username, res.json)
            assert res.json["error"]["code"] == "forbidden"
    assert api("admin").claim(cid).json["state"] == state  # nothing moved
    res = api(allowed).fire(cid, trigger, **PAYLOAD)
    assert res.status_code == 200, res.json


def test_reviewer_cannot_act_for_another_department(api, submitted_claim):
    res = api("reviewer_kjj").fire(submitted_claim, "dept_approve", version=2, **PAYLOAD)
    assert res.status_code == 403
    assert "不属于本部门" in res.json["error"]["message"]
    assert api("reviewer_kjj").claim(submitted_claim).status_code == 404


def test_another_enterprise_cannot_see_or_act(api, submitted_claim):
    other = api("ent_jiangnan")
    assert other.claim(submitted_claim).status_code == 404
    assert other.fire(submitted_claim, "withdraw", version=2).status_code == 404
    res = other.patch(f"/api/v1/claims/{submitted_claim}", json={"project_title": "x"})
    assert res.status_code == 404
    assert other.attach(submitted_claim, "other").status_code == 404
    notice = api("ent_huadong").claim(submitted_claim).json["notices"][0]
    assert other.get(notice["url"]).status_code == 404
    listed = other.get("/api/v1/claims").json["items"]
    assert submitted_claim not in [c["id"] for c in listed]


def test_reviewer_does_not_see_drafts(api):
    cid = api("ent_huadong").create_claim()["id"]
    assert api("reviewer_jmj").claim(cid).status_code == 404
    assert api("reviewer_jmj").get("/api/v1/claims").json["items"] == []


def test_signed_out_caller_is_refused(api, submitted_claim):
    anon = api(None)
    for path in ("/api/v1/policies", "/api/v1/claims", f"/api/v1/claims/{submitted_claim}"):
        res = anon.get(path)
        assert res.status_code == 401
        assert set(res.json["error"]) == {"code", "message", "fields"}
    bad = api(None)
    bad.headers = {"Authorization": "Bearer forged.token.value"}
    assert bad.get("/api/v1/claims").json["error"]["code"] == "invalid_token"


def test_wrong_password_gets_401(api):
    res = api(None).post("/api/v1/auth/token", json={"username": "finance", "password": "nope"})
    assert res.status_code == 401
    assert res.json["error"]["code"] == "invalid_credentials"


def test_token_says_role(api):
    res = api(None).post(
        "/api/v1/auth/token", json={"username": "reviewer_jmj", "password": DEMO["password"]}
    )
    assert res.json["role"] == "reviewer"


def test_lists_show_what_reached_each_office(api, submitted_claim, send_form):
    draft = api("ent_huadong").create_claim("KJJ-HITECH", "1000.00")["id"]  # another policy
    ids = lambda who: [c["id"] for c in api(who).get("/api/v1/claims").json["items"]]  # noqa: E731
    assert ids("ent_huadong") == [draft, submitted_claim]  # newest first
    assert ids("reviewer_jmj") == [submitted_claim]
    assert ids("finance") == [] and ids("gov") == []
    api("reviewer_jmj").fire(submitted_claim, "dept_approve", **PAYLOAD)
    assert ids("finance") == []  # not before its department's 申请认定表 is sent
    send_form(submitted_claim)
    assert ids("finance") == [submitted_claim]
    assert ids("gov") == []
