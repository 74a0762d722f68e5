"""Recovery (追回): partial repayments, then recovered or written off; every step audited."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.errors import Invalid
from approvals.extensions import db
from approvals.finance import recovery
from approvals.notices.models import Notice
from tests.finance.conftest import actor, budget_of, reconciles


def _version(cid):
    return db.session.get(Claim, cid, populate_existing=True).version


def test_partial_repayments_then_recovered(seeded, claims):
    [cid] = claims(1, to="disbursed", amount="10000.00")
    finance = lambda: actor("finance")  # noqa: E731
    with seeded.app_context():
        recovery.start(finance(), cid, "6000.00", "企业迁出本市", version=_version(cid))
        recovery.repay(finance(), cid, "2500.00", version=_version(cid))
        with pytest.raises(Invalid, match="尚欠 3,500.00 元"):
            recovery.close(finance(), cid, version=_version(cid))
        with pytest.raises(Invalid, match="不能超过尚欠金额 3,500.00 元"):
            recovery.repay(finance(), cid, "3500.01", version=_version(cid))
        recovery.repay(finance(), cid, "3500.00", version=_version(cid))
        claim = recovery.close(finance(), cid, version=_version(cid))
        assert claim.state == "recovered"
        case = recovery.recovery_for(cid)
        assert (case.repaid, case.outcome) == (Decimal("6000.00"), "repaid")
        triggers = [e.trigger for e in claim.events][-4:]
        assert triggers == [
            "put_in_recovery",
            "record_repayment",
            "record_repayment",
            "close_recovery",
        ]
        kinds = db.session.scalars(select(Notice.kind).filter_by(claim_id=cid).order_by(Notice.id))
        assert list(kinds)[-4:] == ["recovery", "repayment", "repayment", "recovery_closed"]
        # The first repayment's notice: by number order, not the table's (PostgreSQL returns
        # rows as they lie, and rendering a notice after its commit rewrites its row).
        notice = db.session.scalars(
            select(Notice).filter_by(claim_id=cid, kind="repayment").order_by(Notice.id)
        ).first()
        # the notice's figures are the case's after the repayment; the opinion is empty
        facts = notice.all_facts
        assert (facts["repayment"], facts["repaid_total"], facts["outstanding"]) == (
            "2500.00",
            "2500.00",
            "3500.00",
        )
        assert facts["comment"] is None
    assert budget_of(seeded, "JMJ-PLAN").repaid == Decimal("6000.00")
    reconciles(seeded)


def test_unrecoverable_rest_is_written_off(seeded, claims):
    [cid] = claims(1, to="disbursed", amount="5000.00")
    with seeded.app_context():
        f = actor("finance")
        recovery.start(f, cid, "5000.00", "骗取补助", version=_version(cid))
        recovery.repay(f, cid, "1000.00", version=_version(cid))
        claim = recovery.waive(f, cid, "企业已注销，无财产可供执行", version=_version(cid))
        assert claim.state == "written_off"
        assert claim.events[-1].comment == "企业已注销，无财产可供执行"
        notice = db.session.scalars(select(Notice).filter_by(claim_id=cid, kind="write_off")).one()
        assert notice.all_facts["amount_written_off"] == "4000.00"
        assert recovery.recovery_for(cid).outcome == "waived"
    reconciles(seeded)


def test_recovery_cannot_exceed_what_was_paid(api, seeded, claims):
    [cid] = claims(1, to="disbursed", amount="5000.00")
    res = api("finance").fire(cid, "put_in_recovery", recovery_amount="5000.01", comment="迁出")
    assert res.status_code == 422
    assert "5,000.00" in res.json["error"]["fields"]["recovery_amount"]
    res = api("reviewer_jmj").fire(cid, "put_in_recovery", recovery_amount="1", comment="迁出")
    assert res.status_code == 403
    res = api("finance").fire(cid, "put_in_recovery", recovery_amount="100", comment="迁出")
    assert res.status_code == 200 and res.json["state"] == "in_recovery"
    res = api("finance").fire(cid, "record_repayment", repayment_amount="100")
    assert res.status_code == 200
    assert "close_recovery" in res.json["available_triggers"]
