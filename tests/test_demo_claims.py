"""Demo data makes every role's first screen meaningful: claims in every state, genuine record.

Seeding the claims renders some 65 notices, so the whole story is checked in one test per
database rather than seeded again for each assertion.
"""

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from approvals.audit.check import audit
from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.queries import list_claims, queue_counts
from approvals.claims.storage import sniff_type
from approvals.claims.supplement import deadline_of
from approvals.demo_claims import evidence_pdf, seed_claims
from approvals.extensions import db
from approvals.finance.models import Batch, LedgerEntry
from approvals.finance.reconcile import check
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.workflow.registry import workflows


def _user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def _record_size() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Claim, ClaimEvent, Notice, LedgerEntry, Batch)
    )


def _states() -> Counter:
    return Counter(db.session.scalars(select(Claim.state)))


def _waiting(username: str) -> int:
    return sum(count for count, _late in queue_counts(_user(username)).values())


def test_demo_claims_fill_every_state_and_queue_on_a_record_that_checks_once(seeded):
    with seeded.app_context():
        report = seed_claims()
        states = _states()
        assert set(workflows().get("enterprise_claim").spec.states) <= set(states), states
        assert report.by_state == states and "逾期未补正 1" in report.summary()
        assert states["disbursed"] >= 3 and states["rejected"] >= 2

        # Every role's first screen has something on it.
        for username in ("ent_huadong", "ent_jiangnan", "ent_jiahe"):
            assert list_claims(_user(username))[0], username
        for username in ("reviewer_jmj", "reviewer_kjj", "reviewer_zsj", "finance", "gov"):
            assert _waiting(username) > 0, username
        assert queue_counts(_user("finance"))["in_recovery"][0] == 1

        # The one returned claim still has time; the lapsed one had its 补正期限 pass.
        returned = db.session.scalar(select(Claim).filter_by(state="returned"))
        assert deadline_of(returned).days_left > 0
        lapsed = db.session.scalar(select(Claim).filter_by(state="lapsed"))
        assert deadline_of(lapsed).passed

        # A confirmed batch scaled down pro rata (核减 shows), and a draft one left to confirm.
        # (The department/township track's batch comes third: tests/platform/test_demo.py.)
        confirmed, draft = db.session.scalars(select(Batch).order_by(Batch.seq)).all()[:2]
        assert confirmed.state == "confirmed" and len(confirmed.items) == 2
        assert sum(i.amount for i in confirmed.items) == Decimal("300000.00")
        assert all(i.claim.reduction > 0 for i in confirmed.items)
        assert draft.is_open and [i.claim.state for i in draft.items] == ["approved"]

        # The history spreads over the past weeks, inside the call window.
        first = db.session.scalar(select(func.min(ClaimEvent.at)))
        last = db.session.scalar(select(func.max(ClaimEvent.at)))
        assert last - first > timedelta(days=14)
        window_open = db.session.scalar(select(func.min(Policy.window_open)))
        assert first.date() >= window_open - timedelta(days=1)  # UTC against Beijing date

        # check-ledger and check-audit find nothing to report.
        assert check().problems == []
        assert audit().breaks == []

        # A second run adds nothing and says so.
        size = _record_size()
        again = seed_claims()
        assert again.added == 0 and again.existing == sum(states.values())
        assert "未再生成" in again.summary()
        assert _record_size() == size


def test_demo_claims_are_not_filed_where_the_windows_do_not_cover_their_history(seeded):
    with seeded.app_context():
        for policy in db.session.scalars(select(Policy)):
            policy.window_open = policy.window_close - timedelta(days=5)
        db.session.commit()
        report = seed_claims()
        assert report.added == 0 and "申报期" in report.refused
        assert db.session.scalar(select(func.count()).select_from(Claim)) == 0


def test_demo_evidence_is_a_genuine_pdf_and_each_file_differs():
    first = evidence_pdf("2026-JMJ-000001", "business_licence", 1)
    assert sniff_type(first[:16]) == "application/pdf"
    assert first.rstrip().endswith(b"%%EOF") and b"startxref" in first
    assert first != evidence_pdf("2026-JMJ-000001", "business_licence", 2)
