"""Links written at once stay one chain: the claim's version check and the budget's row
lock serialise the reading of each chain's previous hash (PostgreSQL)."""

import pytest
from sqlalchemy import select

from approvals.audit.check import audit
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance.models import LedgerEntry
from approvals.workflow import runtime
from tests.finance.conftest import fire, run_at_once, set_budget

# Threads, each with its own connection: the rows must be committed for them to meet.
pytestmark = [
    pytest.mark.parametrize(
        "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
    ),
    pytest.mark.committed,
]


def test_racing_approvals_on_one_budget_keep_its_chain_unbroken(seeded, claims):
    set_budget(seeded, "JMJ-PLAN", "5000.00")
    ids = claims(8, to="finance_review", amount="1000.00")

    def approve(cid):
        return lambda: fire("finance", cid, "finance_approve", comment="同意").state

    results = run_at_once(seeded, [approve(cid) for cid in ids])
    assert results.count("approved") == 5, results
    with seeded.app_context():
        entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
        assert len(entries) == 5
        assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
        report = audit()
    assert report.breaks == []


def test_racing_decisions_on_one_claim_leave_one_chain(seeded, claims):
    [cid] = claims(1, to="submitted")
    with seeded.app_context():
        version = db.session.get(Claim, cid).version

    def decide(trigger, **payload):
        from tests.finance.conftest import actor

        return lambda: (
            runtime.advance(actor("reviewer_jmj"), cid, trigger, version=version, **payload).state
        )

    results = run_at_once(
        seeded,
        [
            decide("dept_approve", approved_amount="1000.00", comment="同意"),
            decide("dept_reject", comment="不符合条件"),
            decide("return_for_supplement", comment="请补充材料"),
        ],
    )
    assert sum(isinstance(r, str) for r in results) == 1, results
    with seeded.app_context():
        report = audit()
    assert report.breaks == []


def test_a_batch_confirmed_twice_at_once_keeps_the_budget_chain_unbroken(seeded, claims):
    from approvals.finance import batches
    from tests.finance.conftest import actor

    ids = claims(12, to="approved", amount="100.00")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id

    def confirm():
        return batches.confirm(actor("finance"), batch_id).state

    results = run_at_once(seeded, [confirm, confirm])
    assert all(isinstance(r, str) for r in results), results
    with seeded.app_context():
        report = audit()
    assert report.breaks == []
    assert report.counts["entries"] == 24  # a reservation and a payment per claim
