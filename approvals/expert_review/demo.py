"""The demo's expert review (`flask seed-demo`): the panels, criteria and declared conflicts
of approvals/demo.toml's [[expert_panels]], and the scores its demo claims have, given
through the scoring service like an expert's. Running it twice changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.db import transaction
from approvals.expert_review import panels, scoring, stages
from approvals.expert_review.models import Conflict, PanelMember, Score
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def seed_panels(data: dict) -> None:
    """Each clause's panel and criteria where it has none, and the declared conflicts."""
    with transaction():
        for row in data.get("expert_panels", []):
            policy = db.session.scalar(select(Policy).where(Policy.code == row["policy"]))
            exists = select(PanelMember.id).where(PanelMember.policy_id == policy.id)
            if db.session.scalar(exists) is None:
                experts = [_user(name) for name in row["experts"]]
                panels.set_panel(policy, experts, row["criteria"])
            for item in row.get("conflicts", []):
                expert, owner = _user(item["expert"]), _user(item["enterprise"])
                if panels.conflict(expert.id, owner.enterprise_id) is None:
                    db.session.add(
                        Conflict(
                            expert_id=expert.id,
                            enterprise_id=owner.enterprise_id,
                            reason=item["reason"],
                        )
                    )


def seed_scores(data: dict) -> int:
    """The demo scores of the claims being scored, each by its expert; how many sheets."""
    given = 0
    for row in data.get("expert_panels", []):
        policy = db.session.scalar(select(Policy).where(Policy.code == row["policy"]))
        for item in row.get("scores", []):
            expert, owner = _user(item["expert"]), _user(item["enterprise"])
            claim = db.session.scalar(
                select(Claim).where(
                    Claim.policy_id == policy.id,
                    Claim.enterprise_id == owner.enterprise_id,
                    stages.at_clause(Claim, stages.CLOSE),
                )
            )
            mine = select(Score.id).where(Score.expert_id == expert.id)
            if claim is None or db.session.scalar(mine.where(Score.claim_id == claim.id)):
                continue
            scoring.score(expert, claim.id, item["points"])
            given += 1
    return given
