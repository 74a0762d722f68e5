"""Budgets: reserved at finance approval, released when sent back, paid at disbursement."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.errors import Invalid
from approvals.extensions import db
from approvals.finance.models import LedgerEntry
from approvals.notices.models import Notice
from tests.finance.conftest import budget_of, fire, reconciles, set_budget


def test_finance_approval_reserves_and_disbursement_pays(seeded, claims):
    before = budget_of(seeded, "JMJ-PLAN")
    [cid] = claims(1, to="approved", amount="120000.00")
    budget = budget_of(seeded, "JMJ-PLAN")
    assert (budget.reserved, budget.paid) == (Decimal("120000.00"), 0)
    assert budget.remaining == before.amount - Decimal("120000.00")
    with seeded.app_context():
        fire("finance", cid, "disburse", payment_reference="BOC-1")
    budget = budget_of(seeded, "JMJ-PLAN")
    assert (budget.reserved, budget.paid) == (0, Decimal("120000.00"))
    reconciles(seeded)


def test_approval_beyond_the_budget_is_refused_with_what_remains(seeded, claims):
    set_budget(seeded, "JMJ-PLAN", "150000.00")
    claims(1, to="approved", amount="100000.00")
    [cid] = claims(1, to="finance_review", amount="50000.01")
    with seeded.app_context():
        events = len(db.session.get(Claim, cid).events)
        with pytest.raises(Invalid, match=r"预算余额不足，剩余 50,000\.00 元"):
            fire("finance", cid, "finance_approve", comment="同意")
        claim = db.session.get(Claim, cid, populate_existing=True)
        assert claim.state == "finance_review" and len(claim.events) == events
        assert (
            db.session.scalar(select(Notice).filter_by(claim_id=cid, kind="finance_opinion"))
            is None
        )
        assert not db.session.scalars(select(LedgerEntry).filter_by(claim_id=cid)).all()
    assert budget_of(seeded, "JMJ-PLAN").reserved == Decimal("100000.00")
    reconciles(seeded)


def test_approval_of_exactly_what_remains_is_allowed(seeded, claims):
    set_budget(seeded, "JMJ-PLAN", "1000.00")
    claims(1, to="approved", amount="1000.00")
    assert budget_of(seeded, "JMJ-PLAN").remaining == 0


def test_the_api_says_how_much_is_left(api, seeded, claims):
    set_budget(seeded, "JMJ-PLAN", "500.00")
    [cid] = claims(1, to="finance_review", amount="1000.00")
    res = api("finance").fire(cid, "finance_approve", comment="同意")
    assert res.status_code == 422
    assert res.json["error"]["message"] == "预算余额不足，剩余 500.00 元，本次需 1,000.00 元"


def test_government_send_back_and_rejection_release_the_reservation(seeded, claims):
    a, b = claims(2, to="approved", policy="JMJ-INFRA", amount="50000.00")
    assert budget_of(seeded, "JMJ-INFRA").reserved == Decimal("100000.00")
    # An approved claim keeps its reservation; take two others to government review.
    c, d = claims(2, to="finance_review", policy="JMJ-INFRA", amount="30000.00")
    with seeded.app_context():
        fire("finance", c, "finance_approve", comment="同意")
        fire("finance", d, "finance_approve", comment="同意")
        assert budget_of(seeded, "JMJ-INFRA").reserved == Decimal("160000.00")
        fire("gov", c, "gov_send_back", comment="请补充意见")
        fire("gov", d, "gov_reject", comment="不符合条件")
        kinds = db.session.scalars(
            select(LedgerEntry.kind).filter_by(claim_id=c).order_by(LedgerEntry.id)
        ).all()
    assert kinds == ["reserve", "release"]
    assert budget_of(seeded, "JMJ-INFRA").reserved == Decimal("100000.00")
    with seeded.app_context():
        fire("finance", c, "finance_approve", comment="同意")  # re-approved: reserved again
    assert budget_of(seeded, "JMJ-INFRA").reserved == Decimal("130000.00")
    reconciles(seeded)


def test_policy_without_a_budget_cannot_be_approved(seeded, claims, make_policy):
    code = make_policy(required_evidence=[])
    [cid] = claims(1, to="finance_review", policy=code)
    with seeded.app_context(), pytest.raises(Invalid, match="尚未安排预算"):
        fire("finance", cid, "finance_approve", comment="同意")


def test_ledger_entries_cannot_be_changed_or_deleted(seeded, claims):
    claims(1, to="approved")
    with seeded.app_context():
        entry = db.session.scalar(select(LedgerEntry))
        entry.amount = Decimal("1.00")
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.delete(db.session.scalar(select(LedgerEntry)))
            db.session.flush()
        db.session.rollback()


def test_budget_cannot_be_cut_below_what_is_committed(seeded, claims):
    from approvals.finance.budgets import set_budget as set_budget_service
    from tests.finance.conftest import actor

    claims(1, to="approved", amount="1000.00")
    with seeded.app_context():
        year = budget_of(seeded, "JMJ-PLAN").year
        with pytest.raises(Invalid, match="1,000.00"):
            set_budget_service(actor("finance"), "JMJ-PLAN", year, "999.99")
        assert set_budget_service(actor("finance"), "JMJ-PLAN", year, "1000").amount == 1000


def test_check_ledger_command_reconciles_and_finds_tampering(seeded, claims):
    claims(2, to="approved")
    claims(1, to="disbursed")
    runner = seeded.test_cli_runner()
    result = runner.invoke(args=["check-ledger"])
    assert result.exit_code == 0, result.output
    assert "ok  ledger reconciles" in result.output
    set_budget(seeded, "JMJ-PLAN", "5000000")  # harmless: the amount is not a balance
    with seeded.app_context():
        from approvals.finance.models import Budget

        budget = db.session.scalar(select(Budget).where(Budget.reserved > 0))
        budget.reserved -= Decimal("0.01")  # a fen gone missing behind the ledger's back
        db.session.commit()
    result = runner.invoke(args=["check-ledger"])
    assert result.exit_code == 1
    assert "MISMATCH" in result.output


def test_set_budget_command(seeded):
    runner = seeded.test_cli_runner()
    year = budget_of(seeded, "KJJ-PATENT").year
    result = runner.invoke(args=["set-budget", "KJJ-PATENT", str(year + 1), "123456.78"])
    assert result.exit_code == 0, result.output
    assert "123,456.78" in result.output
    result = runner.invoke(args=["set-budget", "NOPE", str(year), "1"])
    assert result.exit_code != 0 and "政策条款不存在" in result.output
