"""Many people at once on PostgreSQL: the budget holds, each claim is paid exactly once."""

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.errors import Invalid
from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import Batch, LedgerEntry
from approvals.notices.models import Notice
from tests.finance.conftest import actor, budget_of, fire, reconciles, run_at_once, set_budget

# Threads, each with its own connection: the rows must be committed for them to meet.
pytestmark = [
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
    pytest.mark.committed,
]


def test_concurrent_approvals_never_exceed_the_budget(seeded, claims):
    set_budget(seeded, "JMJ-PLAN", "10000.00")
    ids = claims(24, to="finance_review", amount="1000.00")

    def approve(cid):
        return lambda: fire("finance", cid, "finance_approve", comment="同意").state

    results = run_at_once(seeded, [approve(cid) for cid in ids])
    approved = [r for r in results if r == "approved"]
    refused = [r for r in results if isinstance(r, Invalid)]
    assert len(approved) == 10 and len(refused) == 14, results
    assert all("预算余额不足，剩余 0.00 元" in r.message for r in refused)
    budget = budget_of(seeded, "JMJ-PLAN")
    assert (budget.reserved, budget.remaining) == (Decimal("10000.00"), 0)
    reconciles(seeded)


def test_batch_confirmed_twice_at_once_pays_each_claim_exactly_once(seeded, claims):
    ids = claims(200, to="approved", amount="1234.56")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id

    def confirm():
        return batches.confirm(actor("finance"), batch_id).state

    results = run_at_once(seeded, [confirm, confirm, confirm])
    assert all(isinstance(r, str) for r in results), results
    with seeded.app_context():
        batch = db.session.get(Batch, batch_id)
        assert batch.state == "confirmed" and batch.list_notice is not None
        assert all(i.status == "paid" for i in batch.items)
        pays = Counter(db.session.scalars(select(LedgerEntry.claim_id).filter_by(kind="pay")).all())
        assert pays == Counter({cid: 1 for cid in ids})
        disbursals = Counter(
            db.session.scalars(select(ClaimEvent.claim_id).filter_by(trigger="disburse")).all()
        )
        assert disbursals == Counter({cid: 1 for cid in ids})
        payouts = db.session.scalar(
            select(func.count()).select_from(Notice).filter_by(kind="payout")
        )
        assert payouts == 200
        states = set(db.session.scalars(select(Claim.state).where(Claim.id.in_(ids))))
        assert states == {"disbursed"}
    assert budget_of(seeded, "JMJ-PLAN").paid == Decimal("1234.56") * 200
    reconciles(seeded)
