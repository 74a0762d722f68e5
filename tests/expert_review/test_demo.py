"""The demo's special-fund clause: its claims reach expert review and the ranking."""

from __future__ import annotations

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.demo_claims import load, seed_claims
from approvals.expert_review import ranking
from approvals.expert_review.demo import seed_panels, seed_scores
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy
from tests.conftest import DEMO


def test_demo_claims_await_the_ranking_and_one_is_still_being_scored(seeded):
    with seeded.app_context():
        seed_panels(DEMO)
        # The special-fund clause's stories alone: the rest of the file has its own test.
        data = load()
        data["claims"] = [c for c in data["claims"] if c["policy"] == "KJJ-RD"]
        data["batches"] = []
        seed_claims(data)
        assert seed_scores(DEMO) == 6
        assert seed_scores(DEMO) == 0  # a second run adds nothing
        policy = db.session.scalar(select(Policy).where(Policy.code == "KJJ-RD"))
        states = sorted(db.session.scalars(select(Claim.state).where(Claim.policy_id == policy.id)))
        assert states == ["expert_review", "ranking", "ranking"]
        reviewer = db.session.scalar(select(User).where(User.username == "reviewer_kjj"))
        shown = ranking.for_department(reviewer, "KJJ-RD")
        assert shown.scoring == 1
        assert [r.mean for r in shown.rows] == [ranking.Decimal("88.50"), ranking.Decimal("82.67")]
        assert [r.funded for r in shown.rows] == [True, False]
