"""An event's snapshot shows what a decision rested on, without the full bank account."""

from sqlalchemy import select

from approvals.claims.models import ClaimEvent
from approvals.extensions import db


def test_snapshot_records_amount_basis_enterprise_payee_and_actor(seeded, claims):
    [cid] = claims(
        1,
        to="disbursed",
        policy="KJJ-LOAN",
        amount="10875.00",
        inputs={"principal": "1000000", "annual_rate": "4.35", "months": "6"},
    )
    with seeded.app_context():
        events = db.session.scalars(select(ClaimEvent).filter_by(claim_id=cid)).all()
        approval = next(e for e in events if e.trigger == "dept_approve").snapshot
        payout = next(e for e in events if e.trigger == "disburse").snapshot
        enterprise = events[0].claim.enterprise
        account = enterprise.bank_account
    assert approval["amount_inputs"] == {
        "principal": "1000000.00",
        "annual_rate": "4.35",
        "months": "6",
    }
    assert approval["maximum"]["amount"] == "10875.00"
    assert (
        "本金 1,000,000.00 × 年利率 4.35% × 贴息比例 50% × 6/12"
        in approval["maximum"]["computation"]
    )
    assert approval["enterprise"] == {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
    }
    assert approval["actor"] == {
        "role": "reviewer",
        "department": "KJJ",
        "department_name": "市科技局",
    }
    assert payout["actor"]["role"] == "finance"
    assert payout["payee"]["account"] == f"**** **** {account[-4:]}"
    assert account not in str(payout)
