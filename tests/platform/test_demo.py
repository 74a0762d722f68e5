"""The demo's department/township track: the township's and the platform developer's claims
stand in the track's states, each reached through the one door, and every role's first
screen shows its part of them. Seeded once per database: it renders every notice."""

from __future__ import annotations

from sqlalchemy import select

from approvals.audit.check import audit
from approvals.claims.models import Claim
from approvals.claims.queries import list_claims, queue_counts
from approvals.demo_claims import seed_claims
from approvals.extensions import db
from approvals.finance.models import Batch, BatchItem
from approvals.finance.reconcile import check
from approvals.organisations.models import User
from approvals.workflow import tasks
from approvals.workflow.models import ReviewTask
from tests.platform.conftest import PLATFORM, TOWNSHIP


def _user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def test_the_demo_has_the_track_in_its_states_on_every_roles_first_screen(seeded):
    with seeded.app_context():
        seed_claims()
        claims = db.session.scalars(select(Claim).filter_by(workflow="platform_claim")).all()
        by_policy = {(c.enterprise.claimant_type, c.policy.code): c for c in claims}
        assert {key: c.state for key, c in by_policy.items()} == {
            ("township", "PT3-INDUSTRY"): "draft",
            ("township", "PT2-PLAN"): "under_joint_review",
            ("township", "PT4-TAXSHARE"): "lead_review",
            ("township", "PT5-MAJOR"): "disbursed",
            ("platform", "PT1-INFRA"): "government_review",
            ("platform", "PT2-PLAN"): "approved",
            ("platform", "PT4-TAXSHARE"): "recognised",
        }
        # In joint review with one department agreed: 招商局 signed, the others have not.
        joint = by_policy[("township", "PT2-PLAN")]
        signed = {(t.department.code, t.decision) for t in joint.review_tasks}
        assert signed == {("ZSJ", "agree"), ("JMJ", None), ("CZJ", None)}
        recognised = by_policy[("platform", "PT4-TAXSHARE")]
        assert (recognised.recognised_share, recognised.approved_amount) == (30, None)
        # Paid with rewards, in a batch of its own: one line each, summing to the payment.
        paid = by_policy[("township", "PT5-MAJOR")]
        item = db.session.scalar(select(BatchItem).filter_by(claim_id=paid.id))
        assert item.batch.state == "confirmed" and len(item.lines) == 3
        assert sum(line.amount for line in item.lines) == item.amount == paid.paid_amount
        assert [line.payee_name for line in item.lines[1:]] == ["林晓东", "沈佳怡"]
        assert db.session.scalar(select(Batch).order_by(Batch.seq.desc())).id == item.batch_id

        for username in (TOWNSHIP, PLATFORM):
            assert list_claims(_user(username))[0], username
        assert queue_counts(_user("reviewer_czj"))["lead_review"][0] == 1
        assert queue_counts(_user("gov"))["government_review"][0] >= 2
        assert queue_counts(_user("finance"))["approved"][0] >= 2
        # 经贸局's reviewer took the lead review: four-eyes leaves its joint task to the chief.
        for username in ("chief_jmj", "reviewer_czj"):
            rows, _ = tasks.queue(_user(username), Claim)
            assert joint.id in [claim.id for _, claim in rows], username
        rows, _ = tasks.queue(_user("reviewer_jmj"), Claim)
        assert joint.id not in [claim.id for _, claim in rows]
        assert db.session.scalars(select(ReviewTask).filter_by(status="open")).all()

        assert check().problems == []
        assert audit().breaks == []
