"""Finance races: a batch and a direct disbursement, a batch found paid, one budget twice."""

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.errors import Conflict
from approvals.extensions import db
from approvals.finance import batch_notice, batches, budgets
from approvals.finance.models import Batch, BatchItem, Budget, LedgerEntry
from approvals.workflow import runtime
from tests.finance.conftest import actor, reconciles, run_at_once

POSTGRES = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def _batch(app, ids) -> int:
    with app.app_context():
        return batches.compose(actor("finance"), ids).id


def _pays(app) -> Counter:
    with app.app_context():
        return Counter(db.session.scalars(select(LedgerEntry.claim_id).filter_by(kind="pay")))


def test_an_item_of_a_batch_is_paid_only_through_its_batch(seeded, claims, api):
    [cid] = claims(1, to="approved")
    batch_id = _batch(seeded, [cid])
    with seeded.app_context():
        reference = db.session.scalar(select(BatchItem.reference).filter_by(batch_id=batch_id))
    # Even with the batch item's own reference, a direct disburse is refused.
    res = api("finance").fire(cid, "disburse", payment_reference=reference)
    assert res.status_code == 409
    assert res.json["error"]["code"] == "in_batch"
    assert "只能通过确认该批次拨付" in res.json["error"]["message"]
    assert _pays(seeded) == Counter()
    with seeded.app_context():
        assert batches.confirm(actor("finance"), batch_id).state == "confirmed"
    assert _pays(seeded) == Counter({cid: 1})
    reconciles(seeded)


def test_a_confirmation_that_finds_every_item_paid_finishes_the_batch(seeded, claims, monkeypatch):
    ids = claims(3, to="approved", amount="100.00")
    batch_id = _batch(seeded, ids)
    real_issue = batch_notice.issue_list

    def power_cut(batch):
        raise RuntimeError("power cut before the list")

    monkeypatch.setattr(batch_notice, "issue_list", power_cut)
    with seeded.app_context(), pytest.raises(RuntimeError):
        batches.confirm(actor("finance"), batch_id)
    with seeded.app_context():
        batch = db.session.get(Batch, batch_id)
        assert batch.state == "confirming" and batch.list_notice is None
        assert {i.status for i in batch.items} == {"paid"}
    monkeypatch.setattr(batch_notice, "issue_list", real_issue)
    with seeded.app_context():
        batch = batches.confirm(actor("finance"), batch_id)
        assert batch.state == "confirmed" and batch.list_notice is not None
    assert _pays(seeded) == Counter({cid: 1 for cid in ids})
    reconciles(seeded)


@POSTGRES
@pytest.mark.committed  # threads, each on its own connection
def test_batch_confirm_racing_direct_disbursals_never_deadlocks_or_pays_twice(seeded, claims):
    ids = claims(24, to="approved", amount="500.00")
    batch_id = _batch(seeded, ids)
    with seeded.app_context():
        references = dict(
            db.session.execute(
                select(BatchItem.claim_id, BatchItem.reference).filter_by(batch_id=batch_id)
            ).all()
        )

    def confirm():
        return batches.confirm(actor("finance"), batch_id).state

    def side_door(cid):
        def disburse():
            claim = db.session.get(Claim, cid)
            return runtime.advance(
                actor("finance"),
                cid,
                "disburse",
                version=claim.version,
                payment_reference=references[cid],
            ).state

        return disburse

    # The confirmer pays in id order; the side doors aim at the front, middle and end.
    targets = ids[:3] + ids[10:13] + ids[-3:]
    results = run_at_once(seeded, [confirm] + [side_door(cid) for cid in targets])
    assert results[0] == "confirmed", results
    for refused in results[1:]:
        assert isinstance(refused, Conflict), results  # never paid, never a deadlock
        assert refused.code in ("in_batch", "stale_version", "illegal_transition")
    assert _pays(seeded) == Counter({cid: 1 for cid in ids})
    with seeded.app_context():
        batch = db.session.get(Batch, batch_id)
        assert batch.state == "confirmed" and batch.list_notice is not None
        disbursals = Counter(
            db.session.scalars(select(ClaimEvent.claim_id).filter_by(trigger="disburse"))
        )
        assert disbursals == Counter({cid: 1 for cid in ids})
    reconciles(seeded)


@POSTGRES
@pytest.mark.committed  # threads, each on its own connection
def test_two_confirmers_and_direct_disbursals_at_once_finish_the_batch(seeded, claims):
    ids = claims(16, to="approved", amount="250.00")
    batch_id = _batch(seeded, ids)

    def confirm():
        return batches.confirm(actor("finance"), batch_id).state

    def side_door(cid):
        def disburse():
            claim = db.session.get(Claim, cid)
            return runtime.advance(
                actor("finance"), cid, "disburse", version=claim.version, payment_reference="X"
            ).state

        return disburse

    results = run_at_once(seeded, [confirm, confirm] + [side_door(c) for c in ids[-4:]])
    assert all(isinstance(r, str) for r in results[:2]), results
    assert all(isinstance(r, Conflict) for r in results[2:]), results
    with seeded.app_context():
        batch = db.session.get(Batch, batch_id)
        assert batch.state == "confirmed" and batch.list_notice is not None
    assert _pays(seeded) == Counter({cid: 1 for cid in ids})
    reconciles(seeded)


def test_a_budget_created_twice_at_once_is_refused_with_409(seeded, monkeypatch):
    """The second creator looked before the first committed: it found no row to lock."""
    with seeded.app_context():
        budgets.set_budget(actor("finance"), "JMJ-PLAN", 2099, "1000.00")
    monkeypatch.setattr(budgets, "locked_budget", lambda policy_id, year: None)
    with seeded.app_context():
        with pytest.raises(Conflict) as refused:
            budgets.set_budget(actor("finance"), "JMJ-PLAN", 2099, "2000.00")
        assert refused.value.status == 409 and refused.value.code == "budget_exists"
        assert "JMJ-PLAN 2099年度的预算刚由他人同时设立" in refused.value.message
        amounts = db.session.scalars(select(Budget.amount).filter_by(year=2099)).all()
    assert amounts == [Decimal("1000.00")]


@POSTGRES
@pytest.mark.committed  # threads, each on its own connection
def test_concurrent_creation_of_one_budget_never_fails_with_a_server_error(seeded):
    def create(amount):
        def job():
            return budgets.set_budget(actor("finance"), "JMJ-PLAN", 2098, amount).amount

        return job

    results = run_at_once(seeded, [create(f"{n}000.00") for n in range(1, 7)])
    for result in results:
        assert isinstance(result, Decimal) or (
            isinstance(result, Conflict) and result.code == "budget_exists"
        ), results
    with seeded.app_context():
        count = db.session.scalar(select(func.count()).select_from(Budget).filter_by(year=2098))
    assert count == 1


def test_the_budget_page_reports_a_lost_creation_race(seeded, monkeypatch):
    from tests.web.conftest import WebClient, text

    with seeded.app_context():
        budgets.set_budget(actor("finance"), "JMJ-PLAN", 2099, "1000.00")
    monkeypatch.setattr(budgets, "locked_budget", lambda policy_id, year: None)
    client = WebClient(seeded.test_client())
    client.signin("finance")
    res = client.post(
        "/finance/budgets", {"policy_code": "JMJ-PLAN", "year": "2099", "amount": "5.00"}
    )
    assert res.status_code == 302
    assert "预算刚由他人同时设立" in text(client.get(res.location))
