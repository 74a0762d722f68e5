"""A claim's whole life through the API: both payout paths, supplement, every rejection."""

import pytest


def _path(api, claim_id):
    history = api("admin").claim(claim_id).json["history"]
    return [(h["trigger"], h["to_state"]) for h in history]


def test_direct_payout_path(api, submitted_claim, send_form):
    reviewer, finance = api("reviewer_jmj"), api("finance")
    res = reviewer.fire(
        submitted_claim,
        "dept_approve",
        approved_amount="100000.00",
        comment="材料齐全，核定补助10万元",
    )
    assert res.status_code == 200, res.json
    assert (res.json["state"], res.json["approved_amount"]) == ("recognised", "100000.00")
    send_form(submitted_claim)  # the department's 申请认定表 carries it to finance
    res = finance.fire(submitted_claim, "finance_approve", comment="同意")
    assert res.json["state"] == "approved"  # JMJ-PLAN is paid by finance directly
    res = finance.fire(submitted_claim, "disburse", payment_reference="BOC-2027-0001")
    assert res.status_code == 200, res.json
    assert res.json["state"] == "disbursed"
    assert res.json["payment_reference"] == "BOC-2027-0001"
    assert res.json["available_triggers"] == ["put_in_recovery"]
    assert _path(api, submitted_claim) == [
        ("submit", "submitted"),
        ("dept_approve", "recognised"),
        ("forward_to_finance", "finance_review"),
        ("finance_approve", "approved"),
        ("disburse", "disbursed"),
    ]
    kinds = [n["kind"] for n in res.json["notices"]]
    assert kinds == ["receipt", "recognition", "finance_opinion", "payout"]


def test_payout_after_city_government_approval(api, send_form):
    ent = api("ent_jiangnan")
    claim = ent.create_claim("ZSJ-MAJOR", "800000.00", "新能源电池项目招商引资")
    assert ent.attach(claim["id"], "investment_proof").status_code == 201
    assert ent.fire(claim["id"], "submit").status_code == 200
    res = api("reviewer_zsj").fire(
        claim["id"], "dept_approve", approved_amount="600000", comment="同意，核定60万元"
    )
    assert res.json["state"] == "recognised"
    send_form(claim["id"])
    res = api("finance").fire(claim["id"], "finance_approve", comment="预算充足")
    assert res.json["state"] == "government_review"
    res = api("gov").fire(claim["id"], "gov_approve", comment="同意")
    assert res.json["state"] == "approved"
    res = api("finance").fire(claim["id"], "disburse", payment_reference="ICBC-778")
    assert res.json["state"] == "disbursed"
    kinds = [n["kind"] for n in res.json["notices"]]
    assert kinds == ["receipt", "recognition", "finance_opinion", "approval", "payout"]


def test_return_for_supplement_then_resubmit(api, submitted_claim):
    reviewer, ent = api("reviewer_jmj"), api("ent_huadong")
    res = reviewer.fire(submitted_claim, "return_for_supplement", comment="请补充2026年度审计报告")
    assert res.json["state"] == "returned"
    claim = ent.claim(submitted_claim).json
    assert claim["history"][-1]["comment"] == "请补充2026年度审计报告"
    assert set(claim["available_triggers"]) == {"submit", "withdraw"}
    res = ent.patch(
        f"/api/v1/claims/{submitted_claim}",
        json={"requested_amount": "110000.00", "version": claim["version"]},
    )
    assert res.status_code == 200, res.json
    assert ent.attach(submitted_claim, "financial_statement").status_code == 201
    res = ent.fire(submitted_claim, "submit")
    assert res.json["state"] == "submitted"
    assert res.json["requested_amount"] == "110000.00"
    assert [n["kind"] for n in res.json["notices"]] == ["receipt", "supplement", "receipt"]


def test_withdraw_a_submitted_claim(api, submitted_claim):
    res = api("ent_huadong").fire(submitted_claim, "withdraw")
    assert res.json["state"] == "withdrawn"
    assert res.json["notices"][-1]["kind"] == "withdrawal"


def test_department_rejection(api, submitted_claim):
    res = api("reviewer_jmj").fire(submitted_claim, "dept_reject", comment="不符合申报条件")
    assert res.json["state"] == "rejected"
    assert res.json["notices"][-1]["kind"] == "rejection"
    # Finance never saw it: it never reached them.
    assert api("finance").claim(submitted_claim).status_code == 404


@pytest.fixture
def to_finance(api, send_form):
    """Approved by the department and sent on its 申请认定表."""

    def move(claim_id):
        res = api("reviewer_jmj").fire(
            claim_id, "dept_approve", approved_amount="90000", comment="同意"
        )
        assert res.status_code == 200, res.json
        send_form(claim_id)

    return move


def test_finance_rejection(api, submitted_claim, to_finance):
    to_finance(submitted_claim)
    res = api("finance").fire(submitted_claim, "finance_reject", comment="重复申报")
    assert res.json["state"] == "rejected"


def test_finance_sends_back_to_department(api, submitted_claim, to_finance):
    to_finance(submitted_claim)
    res = api("finance").fire(submitted_claim, "finance_send_back", comment="核定金额依据不足")
    assert res.json["state"] == "submitted"
    assert res.json["notices"][-1]["kind"] == "send_back"
    assert "dept_approve" in api("reviewer_jmj").claim(submitted_claim).json["available_triggers"]


@pytest.fixture
def at_government(api, send_form):
    ent = api("ent_huadong")
    claim = ent.create_claim("JMJ-INFRA", "1500000.00", "园区道路贷款贴息")
    for kind in ("business_licence", "loan_contract", "interest_voucher"):
        ent.attach(claim["id"], kind)
    assert ent.fire(claim["id"], "submit").status_code == 200
    api("reviewer_jmj").fire(claim["id"], "dept_approve", approved_amount="1200000", comment="同意")
    send_form(claim["id"])
    assert (
        api("finance").fire(claim["id"], "finance_approve", comment="同意").json["state"]
        == "government_review"
    )
    return claim["id"]


def test_government_rejection(api, at_government):
    res = api("gov").fire(at_government, "gov_reject", comment="不予支持")
    assert res.json["state"] == "rejected"


def test_government_sends_back_to_finance(api, at_government):
    res = api("gov").fire(at_government, "gov_send_back", comment="请财政复核预算")
    assert res.json["state"] == "finance_review"
    assert "finance_approve" in api("finance").claim(at_government).json["available_triggers"]


def test_every_event_keeps_a_snapshot_of_what_was_decided(api, submitted_claim, seeded, to_finance):
    from approvals.claims.models import ClaimEvent
    from approvals.extensions import db

    to_finance(submitted_claim)
    with seeded.app_context():
        event = db.session.scalars(
            db.select(ClaimEvent).filter_by(claim_id=submitted_claim, trigger="dept_approve")
        ).one()
        assert event.snapshot["approved_amount"] == "90000.00"
        assert event.snapshot["policy"]["cap"] == "300000.00"
        assert {e["kind"] for e in event.snapshot["evidence"]} == {
            "business_licence",
            "project_plan",
        }
        assert event.actor.username == "reviewer_jmj"
