"""The demo's 免申即享: 经贸局's proactive clause is seeded with the demo, and
`flask seed-proactive` leaves one offer waiting for ent_huadong, once."""

from __future__ import annotations

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.policies.models import Policy
from approvals.proactive.demo import CLAUSE, seed_offer


def test_the_demo_offers_ent_huadong_its_grant_once(seeded):
    with seeded.app_context():
        policy = db.session.scalar(select(Policy).filter_by(code=CLAUSE))
        assert policy.proactive and policy.offer_days == 20
        assert "1 offer(s) made" in seed_offer()
        assert "exists already" in seed_offer()
        [claim] = db.session.scalars(select(Claim).filter_by(policy_id=policy.id))
        assert claim.enterprise.name == "华东精密机械有限公司"
        assert claim.state == "offer_pending"
