"""Fixtures of the access tests: one actor of every role (and its twin elsewhere), and claims
placed straight into any state, so that a rule can be asked about every state at once."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from approvals.db import utcnow
from approvals.extensions import db


@dataclass(frozen=True)
class Placed:
    """A claim as the tables describe it: whose, which department's, where it stands."""

    id: int
    enterprise: str  # the username of its enterprise's user
    department: str  # the department code of its policy
    workflow: str
    state: str
    reached_finance: bool
    reached_government: bool
    filed: bool  # submitted at least once


# Principal → role. Every role once, and for each role tied to an enterprise or department a
# second actor of another one: the demo accounts, plus two officials made here.
ACTORS = {
    "ent_huadong": "enterprise",
    "ent_jiangnan": "enterprise",
    "reviewer_jmj": "reviewer",
    "reviewer_kjj": "reviewer",
    "finance": "finance",
    "finance_kjj": "finance",
    "gov": "government",
    "gov_kjj": "government",
    "admin": "admin",
    "system": "system",
    "expert_wang": "expert",  # 评审专家: the special-fund track's experts, in no department
}


def engines(app):
    """The loaded workflow engines, whatever the registry is keyed by (name, or name and
    version)."""
    return list(app.extensions["approvals.workflows"].values())


def _latest(app, workflow: str):
    return max((e for e in engines(app) if e.spec.name == workflow), key=lambda e: e.spec.version)


def _latest_version(app, workflow: str) -> int:
    return _latest(app, workflow).spec.version


@pytest.fixture
def actors(seeded) -> dict[str, int]:
    """Principal → user id, for every principal of ACTORS."""
    from approvals.claims.supplement import system_user
    from approvals.organisations.models import Department, User

    with seeded.app_context():
        kjj = db.session.scalar(db.select(Department).filter_by(code="KJJ"))
        for username in ("finance_kjj", "gov_kjj"):
            db.session.add(
                User(username=username, password_hash="!", role=ACTORS[username], department=kjj)
            )
        db.session.commit()
        system_user()
        users = db.session.scalars(db.select(User).where(User.username.in_(ACTORS)))
        ids = {user.username: user.id for user in users}
    assert set(ids) == set(ACTORS)
    return ids


@pytest.fixture
def place_claim(seeded):
    """place_claim(state, enterprise=…, policy=…, reached_finance=…, reached_government=…)
    → Placed: a claim written straight into `state`, past the workflow (no events, no
    notices): what the rules are asked about, not what the engine produced."""
    from approvals.claims.models import Claim
    from approvals.organisations.models import User
    from approvals.policies.models import Policy

    def place(
        state: str,
        *,
        enterprise: str = "ent_huadong",
        policy: str = "JMJ-PLAN",
        reached_finance: bool = False,
        reached_government: bool = False,
        filed: bool | None = None,
    ) -> Placed:
        with seeded.app_context():
            owner = db.session.scalar(db.select(User).filter_by(username=enterprise))
            clause = db.session.scalar(db.select(Policy).filter_by(code=policy))
            if filed is None:  # every state but the first is reached by a submission
                filed = state != _latest(seeded, clause.workflow).spec.initial
            claim = Claim(
                workflow=clause.workflow,
                workflow_version=_latest_version(seeded, clause.workflow),
                policy=clause,
                department_id=clause.department_id,
                enterprise_id=owner.enterprise_id,
                created_by=owner,
                project_title="访问规则测试项目",
                requested_amount=Decimal("1000.00"),
                state=state,
                reached_finance=reached_finance,
                reached_government=reached_government,
                submitted_at=utcnow() if filed else None,
            )
            db.session.add(claim)
            db.session.commit()
            return Placed(
                claim.id,
                enterprise,
                clause.department.code,
                claim.workflow,
                state,
                reached_finance,
                reached_government,
                filed,
            )

    return place
