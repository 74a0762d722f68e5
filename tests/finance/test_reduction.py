"""Pro-rata is a recorded reduction (核减), never a rewrite of the department's 核定金额."""

from decimal import Decimal

import pytest
from sqlalchemy import select, update

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance import batches, reports
from approvals.finance.ledger import REDUCTION_REASON
from approvals.finance.models import LedgerEntry
from tests.finance.conftest import actor, budget_of, fire, reconciles
from tests.web.conftest import WebClient

REASON = "专项资金不足，按比例核减，核减部分不再拨付"


@pytest.fixture
def scaled(seeded, claims):
    """Three claims approved at 100.00 each, paid in one batch scaled down to 250.00."""
    ids = claims(3, to="approved", amount="100.00")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id
        batches.scale(actor("finance"), batch_id, "JMJ-PLAN", "250.00")
        batches.confirm(actor("finance"), batch_id)
    return ids


def _claims(app, ids) -> list[Claim]:
    with app.app_context():
        found = [db.session.get(Claim, cid) for cid in ids]
        for claim in found:
            db.session.expunge(claim)
        return found


def test_scaling_never_changes_the_approved_amount(seeded, scaled):
    paid = _claims(seeded, scaled)
    assert [c.approved_amount for c in paid] == [Decimal("100.00")] * 3
    # 250.00 over three equal claims: 83.34 + 83.33 + 83.33, the fen to the earliest.
    assert [c.paid_amount for c in paid] == [Decimal("83.34"), Decimal("83.33"), Decimal("83.33")]
    assert [c.reduction for c in paid] == [Decimal("16.66"), Decimal("16.67"), Decimal("16.67")]
    assert all(c.approved_amount == c.paid_amount + c.reduction for c in paid)
    assert {c.reduction_reason for c in paid} == {REASON} and REDUCTION_REASON == REASON


def test_the_ledger_records_each_reduction_as_its_own_kind(seeded, scaled):
    with seeded.app_context():
        rows = db.session.execute(
            select(LedgerEntry.claim_id, LedgerEntry.kind, LedgerEntry.amount)
        )
        by_claim: dict = {}
        for claim_id, kind, amount in rows:
            by_claim.setdefault(claim_id, {}).setdefault(kind, Decimal("0"))
            by_claim[claim_id][kind] += amount
    assert set(by_claim) == set(scaled)
    for sums in by_claim.values():
        assert sums["reserve"] == sums["pay"] + sums["reduce"] == Decimal("100.00")
        assert "release" not in sums  # a reduction is not a release: it is never paid later
    budget = budget_of(seeded, "JMJ-PLAN")
    assert (budget.paid, budget.reserved) == (Decimal("250.00"), Decimal("0.00"))
    reconciles(seeded)


def test_an_unscaled_payout_records_what_was_paid_and_no_reduction(seeded, claims, api):
    [cid] = claims(1, to="disbursed", amount="1200.00")
    body = api("finance").claim(cid).json
    assert (body["approved_amount"], body["paid_amount"]) == ("1200.00", "1200.00")
    assert body["reduction"] is None and body["reduction_reason"] is None
    reconciles(seeded)


def test_the_api_shows_approved_paid_and_reduction(seeded, scaled, api):
    body = api("finance").claim(scaled[1]).json
    assert body["approved_amount"] == "100.00"
    assert body["paid_amount"] == "83.33"
    assert body["reduction"] == "16.67"
    assert body["reduction_reason"] == REASON
    listed = api("ent_huadong").get("/api/v1/claims").json
    mine = next(c for c in listed["items"] if c["id"] == scaled[0])
    assert (mine["approved_amount"], mine["paid_amount"], mine["reduction"]) == (
        "100.00",
        "83.34",
        "16.66",
    )


def test_the_enterprise_claim_page_shows_approved_paid_and_reduction(seeded, scaled):
    # The first claim is ent_huadong's (the others come from enterprises made for the test).
    web = WebClient(seeded.test_client())
    web.signin("ent_huadong")
    page = web.get(f"/claims/{scaled[0]}").get_data(as_text=True)
    assert 'id="approved-amount">100.00' in page
    assert 'id="paid-amount">83.34' in page
    assert 'id="reduction">16.66' in page
    assert REASON in page


def test_check_ledger_passes_when_approved_equals_paid_plus_reduced(seeded, scaled):
    result = seeded.test_cli_runner().invoke(args=["check-ledger"])
    assert result.exit_code == 0, result.output


def _check_ledger(app):
    result = app.test_cli_runner().invoke(args=["check-ledger"])
    return result.exit_code, result.output + (result.stderr or "")


def test_check_ledger_fails_naming_the_claim_whose_reduction_is_missing(seeded, scaled):
    with seeded.app_context():
        number = db.session.get(Claim, scaled[1]).number
        db.session.execute(
            update(Claim)
            .where(Claim.id == scaled[1])
            .values(reduction=None, reduction_reason=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    code, output = _check_ledger(seeded)
    assert code == 1
    assert f"{number}: 申报记载核减 None 与台账核减 16.67 不符" in output


def test_check_ledger_fails_when_the_approved_amount_was_rewritten(seeded, scaled):
    """The old behaviour (核定金额 overwritten with what was paid) no longer reconciles."""
    with seeded.app_context():
        number = db.session.get(Claim, scaled[0]).number
        db.session.execute(
            update(Claim)
            .where(Claim.id == scaled[0])
            .values(approved_amount=Decimal("83.34"))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    code, output = _check_ledger(seeded)
    assert code == 1
    assert f"{number}: 核定 83.34 ≠ 拨付 83.34 + 核减 16.66" in output


def test_reports_show_approved_paid_and_reduced_separately(seeded, scaled):
    with seeded.app_context():
        table = reports.money_by("policy")
    totals = dict(zip(table.headers[1:], table.rows[-1][1:], strict=True))
    assert totals["核定金额"] == Decimal("300.00")
    assert totals["已拨付"] == Decimal("250.00")
    assert totals["核减金额"] == Decimal("50.00")


def test_a_recovery_is_limited_to_what_was_paid_not_what_was_approved(seeded, scaled, api):
    res = api("finance").fire(
        scaled[0], "put_in_recovery", recovery_amount="90.00", comment="迁出本市"
    )
    assert res.status_code == 422
    assert "83.34" in res.json["error"]["fields"]["recovery_amount"]
    with seeded.app_context():
        fire("finance", scaled[0], "put_in_recovery", recovery_amount="83.34", comment="迁出本市")
    reconciles(seeded)


def test_the_payout_notice_sees_the_paid_amount_and_the_reduction(seeded, scaled):
    """The ledger writes them in the transitioned signal, before advance() issues the notice."""
    from approvals.notices.models import Notice

    with seeded.app_context():
        notice = db.session.scalar(select(Notice).filter_by(claim_id=scaled[1], kind="payout"))
        facts = notice.all_facts
    assert facts["approved_amount"] == "100.00"
    assert (facts["paid_amount"], facts["reduction"]) == ("83.33", "16.67")
    assert facts["reduction_reason"] == REASON
