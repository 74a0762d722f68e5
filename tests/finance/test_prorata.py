"""Pro-rata scale-down (按比例核减): sums exactly to the limit, remainder shown, to the fen."""

import random
from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.finance import batches, prorata
from approvals.finance.models import Batch, LedgerEntry
from tests.finance.conftest import actor, budget_of, reconciles


def test_three_equal_claims_share_a_limit_that_does_not_divide():
    shares = prorata.scale(
        {1: Decimal("100"), 2: Decimal("100"), 3: Decimal("100")}, Decimal("100")
    )
    assert [s.amount for s in shares] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert [s.bonus_fen for s in shares] == [1, 0, 0]  # tie: the earliest item gets the fen
    assert sum(s.amount for s in shares) == Decimal("100")


def test_largest_remainder_gets_the_fen():
    # exact shares 66.666…, 33.333… of 100.00 → 66.66 + 33.33 = 99.99; the fen goes to 66.66
    shares = prorata.scale({7: Decimal("200"), 9: Decimal("100")}, Decimal("100.00"))
    assert [(s.key, s.amount, s.bonus_fen) for s in shares] == [
        (7, Decimal("66.67"), 1),
        (9, Decimal("33.33"), 0),
    ]


@pytest.mark.parametrize("seed", range(20))
def test_random_batches_sum_exactly_to_the_limit(seed):
    rng = random.Random(seed)
    amounts = {k: Decimal(rng.randint(1, 50_000_000)) / 100 for k in range(rng.randint(2, 300))}
    total = sum(amounts.values())
    limit = (total * Decimal(rng.uniform(0.05, 0.99))).quantize(Decimal("0.01"))
    shares = prorata.scale(amounts, limit)
    assert sum(s.amount for s in shares) == limit
    for s in shares:
        assert s.floored <= s.exact < s.floored + Decimal("0.01")
        assert s.amount - s.exact < Decimal("0.01")  # nobody gains a whole fen over the exact share
    assert sum(s.bonus_fen for s in shares) < len(shares)


def test_limit_must_be_below_the_total():
    with pytest.raises(ValueError):
        prorata.scale({1: Decimal("10")}, Decimal("10"))


def test_scaled_batch_pays_the_scaled_amounts_and_records_the_rest_as_reduced(seeded, claims):
    ids = claims(3, to="approved", amount="100.00")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id
        shares = batches.scale(actor("finance"), batch_id, "JMJ-PLAN", "250.00")
        assert sum(s.amount for s in shares) == Decimal("250.00")
        batch = db.session.get(Batch, batch_id)
        assert batch.scaling["JMJ-PLAN"] == {
            "limit": "250.00",
            "total": "300.00",
            "ratio": "0.8333333333",
            "remainder_fen": 1,
        }
        assert batches.totals(batch)["amount"] == Decimal("250.00")
        batches.confirm(actor("finance"), batch_id)
        reductions = db.session.scalars(select(LedgerEntry.amount).filter_by(kind="reduce")).all()
        assert sum(reductions) == Decimal("50.00")
        assert not db.session.scalars(select(LedgerEntry).filter_by(kind="release")).all()
    budget = budget_of(seeded, "JMJ-PLAN")
    assert (budget.paid, budget.reserved) == (Decimal("250.00"), 0)
    reconciles(seeded)


def test_confirmed_batch_cannot_be_scaled(seeded, claims):
    from approvals.errors import Conflict

    ids = claims(2, to="approved")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id
        batches.confirm(actor("finance"), batch_id)
        with pytest.raises(Conflict):
            batches.scale(actor("finance"), batch_id, "JMJ-PLAN", "1.00")
