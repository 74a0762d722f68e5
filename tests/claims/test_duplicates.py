"""One project, one claim: one live claim per policy and year, and one payout per exclusive
group (就高不重复), through the API on both databases; the pages are in
tests/claims/test_duplicate_claims.py."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from approvals.claims import services
from approvals.claims.duplicates import DuplicateClaim
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from tests.threads import at_once

CLAIM = {"policy_code": "JMJ-PLAN", "project_title": "再报一次", "requested_amount": "1000.00"}
GROUP_EVIDENCE = ("business_licence", "certificate")  # JMJ-TECHCENTRE's and KJJ-HITECH's


# One live claim per policy and year ------------------------------------------------------


def test_a_second_claim_for_one_policy_and_year_is_refused_naming_the_first(api):
    ent = api("ent_huadong")
    first = ent.create_claim()
    res = ent.post("/api/v1/claims", json=CLAIM)
    assert res.status_code == 409
    error = res.json["error"]
    assert error["code"] == "duplicate_claim"
    assert first["number"] in error["message"]
    assert error["fields"]["existing_claim_id"] == first["id"]
    assert error["fields"]["existing_claim_number"] == first["number"]
    assert len(ent.get("/api/v1/claims").json["items"]) == 1
    # Another policy, or another enterprise under the same policy, is a claim of its own.
    assert ent.create_claim("KJJ-HITECH", "1000.00")["state"] == "draft"
    assert api("ent_jiangnan").create_claim()["state"] == "draft"


def _withdrawn(api, submitted_claim, seeded):
    api("ent_huadong").fire(submitted_claim, "withdraw")


def _rejected(api, submitted_claim, seeded):
    api("reviewer_jmj").fire(submitted_claim, "dept_reject", comment="不符合申报条件")


def _lapsed(api, submitted_claim, seeded):
    # The state `flask tick` gives a claim past its 补正期限; set here as it would be stored.
    with seeded.app_context():
        db.session.execute(update(Claim).where(Claim.id == submitted_claim).values(state="lapsed"))
        db.session.commit()


@pytest.mark.parametrize("end", [_withdrawn, _rejected, _lapsed], ids=lambda f: f.__name__[1:])
def test_a_claim_that_ended_without_money_leaves_the_policy_free(seeded, api, submitted_claim, end):
    end(api, submitted_claim, seeded)
    res = api("ent_huadong").post("/api/v1/claims", json=CLAIM)
    assert res.status_code == 201, res.json


def test_a_paid_claim_still_counts(api, submitted_claim, send_form):
    reviewer = api("reviewer_jmj")
    reviewer.fire(submitted_claim, "dept_approve", approved_amount="1000", comment="同意")
    send_form(submitted_claim)
    api("finance").fire(submitted_claim, "finance_approve", comment="同意")
    res = api("finance").fire(submitted_claim, "disburse", payment_reference="CZ-2026-0001")
    assert res.json["state"] == "disbursed", res.json
    res = api("ent_huadong").post("/api/v1/claims", json=CLAIM)
    assert res.status_code == 409 and res.json["error"]["code"] == "duplicate_claim"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.committed  # threads, each on its own connection
def test_two_creates_at_once_make_one_claim(seeded, make_enterprise):
    for _round in range(8):
        username = make_enterprise()

        def create(username=username):
            actor = db.session.scalar(select(User).filter_by(username=username))
            return services.create_claim(actor, "JMJ-PLAN", "同时提交", "1000.00").id

        results = at_once(seeded, [create, create])
        created = [r for r in results if isinstance(r, int)]
        refused = [r for r in results if isinstance(r, DuplicateClaim)]
        assert len(created) == 1 and len(refused) == 1, results
        assert refused[0].existing_id == created[0]
        with seeded.app_context():
            enterprise_id = db.session.scalar(
                select(User.enterprise_id).filter_by(username=username)
            )
            count = db.session.scalar(
                select(func.count(Claim.id)).where(Claim.enterprise_id == enterprise_id)
            )
        assert count == 1


# Exclusive groups (就高不重复): JMJ-TECHCENTRE and KJJ-HITECH in the demo ------------------


def _at_finance(api, send_form, policy: str, reviewer: str, amount: str) -> dict:
    """ent_huadong's claim under `policy`, approved by its department and sent on its
    申请认定表: awaiting finance."""
    ent = api("ent_huadong")
    claim = ent.create_claim(policy, amount, "企业技术中心")
    for kind in GROUP_EVIDENCE:
        assert ent.attach(claim["id"], kind).status_code == 201
    assert ent.fire(claim["id"], "submit").status_code == 200
    res = api(reviewer).fire(claim["id"], "dept_approve", approved_amount=amount, comment="同意")
    assert res.json["state"] == "recognised", res.json
    send_form(claim["id"])
    return claim


def test_finance_approval_refuses_a_second_claim_of_an_exclusive_group(api, send_form):
    centre = _at_finance(api, send_form, "JMJ-TECHCENTRE", "reviewer_jmj", "300000.00")
    hitech = _at_finance(api, send_form, "KJJ-HITECH", "reviewer_kjj", "200000.00")
    finance = api("finance")
    assert finance.fire(centre["id"], "finance_approve", comment="同意").json["state"] == "approved"
    res = finance.fire(hitech["id"], "finance_approve", comment="同意")
    assert res.status_code == 422
    error = res.json["error"]
    assert error["code"] == "condition_failed"
    assert "就高不重复" in error["message"] and centre["number"] in error["message"]
    assert "无需市政府审定" not in error["message"]  # the branch meant for it is explained
    assert centre["number"] in error["fields"]["exclusive_group"]
    claim = finance.claim(hitech["id"]).json
    assert claim["state"] == "finance_review"
    assert "finance_opinion" not in [n["kind"] for n in claim["notices"]]


def test_a_rejected_claim_of_the_group_does_not_block_the_other(api, send_form):
    centre = _at_finance(api, send_form, "JMJ-TECHCENTRE", "reviewer_jmj", "300000.00")
    hitech = _at_finance(api, send_form, "KJJ-HITECH", "reviewer_kjj", "200000.00")
    finance = api("finance")
    finance.fire(centre["id"], "finance_reject", comment="已按高新技术企业奖励兑现")
    assert finance.fire(hitech["id"], "finance_approve", comment="同意").json["state"] == "approved"
