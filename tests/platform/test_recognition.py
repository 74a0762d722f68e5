"""Clause 4, a recognition of the local tax-revenue share (税收分成认定): no amount is asked,
the lead department gives a share and a period, the joint review and the city government
agree, and the claim ends recognised with its notice; no budget, ledger row or batch."""

from __future__ import annotations

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance import batches, reports
from approvals.finance.models import LedgerEntry
from approvals.finance.reconcile import check
from tests.platform.conftest import PLATFORM, SHARE, notices_of
from tests.web.conftest import text

POLICY = "PT4-TAXSHARE"


def test_a_recognition_asks_for_no_amount(track, api):
    res = api(PLATFORM).post(
        "/api/v1/claims",
        json={"policy_code": POLICY, "project_title": "税收分成", "requested_amount": "1000.00"},
    )
    assert res.status_code == 422
    assert "不填写申报金额" in res.json["error"]["fields"]["requested_amount"]
    claim_id = track.file(POLICY, PLATFORM, amount=None)
    assert api(PLATFORM).claim(claim_id).json["requested_amount"] is None


def test_the_lead_gives_a_share_and_a_period_not_an_amount(seeded, api, track):
    claim_id = track.file(POLICY, PLATFORM, amount=None)
    track.submit(claim_id, PLATFORM)
    lead = api("reviewer_czj")
    # Only the move that fits a recognition is offered; the other is refused and explained.
    offered = lead.claim(claim_id).json["available_triggers"]
    assert "lead_recognise" in offered and "lead_approve" not in offered
    res = track.lead(claim_id, POLICY, approved_amount="1000.00")
    assert res.status_code == 422 and "税收分成认定" in res.json["error"]["message"]
    for fields, field in (
        ({**SHARE, "recognised_share": "0"}, "recognised_share"),
        ({**SHARE, "recognised_share": "120"}, "recognised_share"),
        ({**SHARE, "recognised_share": "30.125"}, "recognised_share"),
        ({**SHARE, "share_from": "2027-13-01"}, "share_from"),
        ({**SHARE, "share_until": "2026-12-31"}, "share_until"),  # before it starts
    ):
        res = track.lead(claim_id, POLICY, "lead_recognise", **fields)
        assert res.status_code == 422, (fields, res.json)
        assert field in res.json["error"]["fields"], (fields, res.json)
    assert track.state(claim_id) == "lead_review"
    res = track.lead(claim_id, POLICY, "lead_recognise", **SHARE)
    assert res.status_code == 200, res.json
    assert res.json["recognition"] == {
        "share": "30.00",
        "from": "2027-01-01",
        "until": "2031-12-31",
    }


def test_a_recognition_ends_recognised_with_its_notice_and_no_money(seeded, api, track, web):
    claim_id = track.to_joint_review(POLICY, PLATFORM, **SHARE)
    track.joint(claim_id)
    assert track.state(claim_id) == "government_review"
    res = api("gov").fire(claim_id, "gov_approve", comment="经市政府审定，同意认定。")
    assert res.status_code == 200 and res.json["state"] == "recognised"
    kinds = [kind for kind, _ in notices_of(seeded, claim_id)]
    assert kinds == ["receipt", "lead_opinion", "joint_opinion", "recognition_result"]
    lead, joint, result = (t for _, t in notices_of(seeded, claim_id)[1:])
    assert "拟认定地方税收分成比例和期限如下" in lead and "拟认定分成比例30%" in lead
    assert "同意按下列分成比例和期限报请市政府审定" in joint
    for said in (
        "示范市人民政府办公室关于新引进项目地方税收分成认定结果的通知",
        "经示范市财政局会同示范市经济贸易局、示范市招商局联合审核、市政府审定",
        "认定你单位地方税收分成比例为30%，分成期限自2027年1月1日起至2031年12月31日止",
        "本通知为认定结果，不涉及资金拨付",
        "认定分成比例30%",
    ):
        assert said in result, said
    for unsaid in ("申报金额", "核定金额", "元", "拨付至", "预算"):
        assert unsaid not in result.replace("不涉及资金拨付", ""), unsaid
    with seeded.app_context():
        claim = db.session.get(Claim, claim_id)
        assert claim.approved_amount is None and claim.paid_amount is None
        assert db.session.scalars(select(LedgerEntry).filter_by(claim_id=claim_id)).all() == []
        assert claim_id not in [c.id for c in batches.payable_claims()]
        assert check().problems == []
        money = [t for t in reports.all_tables() if t.key == "policy"][0]
        assert not any("PT4-TAXSHARE" in str(row[0]) for row in money.rows)
    page = text(web(PLATFORM).get(f"/claims/{claim_id}"))
    assert "认定分成比例" in page and "30.00%" in page and "2027-01-01" in page
    assert "不涉及资金拨付" in page and "申报金额（元）" not in page
