"""Finance serves every workflow: one payout batch pays claims of the enterprise track and
of the department/township track, each through its own workflow's paying move, with its
notice; the ledger reconciles; the bank file, the payable list, the budgets and the reports
count both. Reports put a claim under the department that reviews it now, and time a stage
from entering it to leaving it, whatever steps were taken inside it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.queries import queue_counts
from approvals.db import utcnow
from approvals.extensions import db
from approvals.finance import batches, recovery, reports
from approvals.notices.models import Notice
from approvals.organisations.models import Department
from approvals.workflow.registry import engine_for, is_tagged
from tests.finance.conftest import actor, budget_of, fire, reconciles, signed_in
from tests.platform.conftest import Track

ENTERPRISE_POLICY, PLATFORM_POLICY = "JMJ-PLAN", "PT2-PLAN"  # PT2: joint review, no government


@pytest.fixture
def two_tracks(seeded, claims, api):
    """An approved claim of each workflow: (enterprise claim id, township claim id)."""
    [enterprise] = claims(1, to="approved", policy=ENTERPRISE_POLICY, amount="1200.00")
    track = Track(api)
    township = track.to_joint_review(PLATFORM_POLICY)
    track.joint(township)
    with seeded.app_context():
        found = {c.id: c.workflow for c in db.session.scalars(select(Claim))}
        assert (found[enterprise], found[township]) == ("enterprise_claim", "platform_claim")
        assert all(is_tagged(db.session.get(Claim, i), "payable") for i in (enterprise, township))
    return enterprise, township


def _payment_file(app, batch_id: int) -> list[list[str]]:
    res = signed_in(app, "finance").get(f"/finance/batches/{batch_id}/payment.csv")
    assert res.status_code == 200
    return list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))[1:]


def test_one_batch_pays_claims_of_two_workflows(seeded, two_tracks):
    enterprise, township = two_tracks
    with seeded.app_context():
        assert {enterprise, township} <= {c.id for c in batches.payable_claims()}
        batch_id = batches.compose(actor("finance"), [enterprise, township]).id
        numbers = [db.session.get(Claim, i).number for i in (enterprise, township)]
    rows = _payment_file(seeded, batch_id)
    assert [r[7] for r in rows] == numbers  # the bank file lists both, in claim order
    assert [Decimal(r[5]) for r in rows] == [Decimal("1200.00"), Decimal("90000.00")]
    with seeded.app_context():
        batch = batches.confirm(actor("finance"), batch_id)
        assert batch.state == "confirmed" and batches.payable_claims() == []
        for claim_id in (enterprise, township):
            claim = db.session.get(Claim, claim_id)
            assert is_tagged(claim, "paid"), claim.state
            # Through the one door: the workflow's own paying move, audited, with its notice.
            event = db.session.scalars(
                select(ClaimEvent).filter_by(claim_id=claim_id).order_by(ClaimEvent.id.desc())
            ).first()
            assert (
                event.payload["payment_reference"] == f"{batch.year}B{batch.seq:02d}-{claim_id:06d}"
            )
            notice = db.session.scalar(select(Notice).filter_by(event_id=event.id))
            assert notice.kind == "payout"
        assert batch.list_notice is not None  # one 拨付批次清单 for both
    reconciles(seeded)
    assert budget_of(seeded, ENTERPRISE_POLICY).paid == Decimal("1200.00")
    assert budget_of(seeded, PLATFORM_POLICY).paid == Decimal("90000.00")


def test_the_finance_page_and_the_reports_count_claims_of_every_workflow(seeded, two_tracks):
    enterprise, township = two_tracks
    page = signed_in(seeded, "finance").get("/finance/")
    with seeded.app_context():
        numbers = [db.session.get(Claim, i).number for i in (enterprise, township)]
    assert all(n.encode() in page.data for n in numbers)  # both wait for payout
    with seeded.app_context():
        assert sum(waiting for waiting, _ in queue_counts(actor("finance")).values()) == 2
        by_policy = {r[0].split()[0]: r for r in reports.money_by("policy").rows}
        assert by_policy[ENTERPRISE_POLICY][3] == Decimal("1200.00")  # 核定金额
        assert by_policy[PLATFORM_POLICY][3] == Decimal("90000.00")
        deadlines = reports.deadlines().rows
    payout = [r for r in deadlines if r[1].startswith("资金拨付")]
    assert sum(r[4] + r[5] for r in payout) == 2  # both wait for payout, counted


def test_a_transferred_claim_counts_for_the_department_that_has_it(seeded, claims):
    [claim_id] = claims(1, to="submitted", policy="JMJ-PLAN", amount="800.00")
    with seeded.app_context():
        fire("reviewer_jmj", claim_id, "transfer", transfer_to="KJJ", comment="属科技局职责")
        kjj = db.session.scalar(select(Department).filter_by(code="KJJ")).name
        jmj = db.session.scalar(select(Department).filter_by(code="JMJ")).name
        rows = {r[0]: r for r in reports.money_by("department").rows}
    assert rows[kjj][1] == 1 and rows[kjj][2] == Decimal("800.00")
    assert jmj not in rows


def test_a_stage_is_timed_from_entering_it_to_leaving_it(seeded, claims):
    """A step that stays in the state (a transfer here) does not restart the clock."""
    [claim_id] = claims(1, to="submitted", policy="JMJ-PLAN", amount="800.00")
    start = utcnow() + timedelta(days=1)
    with seeded.app_context():
        submitted = db.session.scalar(select(ClaimEvent).filter_by(claim_id=claim_id))
        fire(
            "reviewer_jmj",
            claim_id,
            "transfer",
            transfer_to="KJJ",
            comment="属科技局职责",
            now=start,
        )
        fire(
            "reviewer_kjj", claim_id, "dept_reject", comment="不符合", now=start + timedelta(days=2)
        )
        claim = db.session.get(Claim, claim_id)
        label = engine_for(claim).spec.label(submitted.to_state)
        [row] = [r for r in reports.stage_durations([claim]).rows if r[0] == label]
    hours = (start + timedelta(days=2) - submitted.at).total_seconds() / 3600
    assert row[1] == 1 and row[5] == Decimal(hours).quantize(Decimal("0.1"))


def test_a_repayment_stays_inside_the_time_in_recovery(seeded, claims):
    [claim_id] = claims(1, to="disbursed", policy="JMJ-PLAN", amount="800.00")
    start = utcnow() + timedelta(days=1)

    def version() -> int:
        return db.session.get(Claim, claim_id, populate_existing=True).version

    with seeded.app_context():
        finance = actor("finance")
        recovery.start(finance, claim_id, "300.00", "企业迁出本市", version=version(), now=start)
        later = start + timedelta(days=1)
        recovery.repay(finance, claim_id, "300.00", version=version(), now=later)
        recovery.close(finance, claim_id, version=version(), now=start + timedelta(days=3))
        claim = db.session.get(Claim, claim_id)
        opened = db.session.scalar(
            select(ClaimEvent).filter_by(claim_id=claim_id).order_by(ClaimEvent.id.desc()).offset(2)
        )
        label = engine_for(claim).spec.label(opened.to_state)
        [row] = [r for r in reports.stage_durations([claim]).rows if r[0] == label]
    assert row[1] == 1 and row[5] == Decimal("72.0")
