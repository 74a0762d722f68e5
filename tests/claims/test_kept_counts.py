"""Queue counts kept by the database (issue 14): `claim_counts` follows every write of
`claims`, and a queue's counts read from it are the counts of its rows."""

from __future__ import annotations

from sqlalchemy import case, delete, func, select

from approvals.claims.counts import ClaimCount
from approvals.claims.models import Claim
from approvals.claims.queries import _queue_clauses, queue_counts, queue_states
from approvals.db import utcnow
from approvals.demo_claims import seed_claims
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.workflow.runtime import advance


def _by_rows(actor: User, policy: str | None = None) -> dict:
    """The queue's counts as the rows give them: what the page showed before the kept counts."""
    overdue = func.sum(case((Claim.due_at <= utcnow(), 1), else_=0))
    query = (
        select(Claim.state, func.count(), overdue)
        .where(*_queue_clauses(actor, policy))
        .group_by(Claim.state)
    )
    found = {state: (count, late or 0) for state, count, late in db.session.execute(query)}
    return {state: found.get(state, (0, 0)) for state in queue_states(actor)}


def _kept_equal_rows() -> None:
    kept = {
        (state, department, policy): n
        for state, department, policy, n in db.session.execute(
            select(
                ClaimCount.state,
                ClaimCount.department_id,
                ClaimCount.policy_id,
                func.sum(ClaimCount.claims),
            )
            .group_by(ClaimCount.state, ClaimCount.department_id, ClaimCount.policy_id)
            .having(func.sum(ClaimCount.claims) != 0)
        )
    }
    rows = {
        (state, department, policy): n
        for state, department, policy, n in db.session.execute(
            select(Claim.state, Claim.department_id, Claim.policy_id, func.count()).group_by(
                Claim.state, Claim.department_id, Claim.policy_id
            )
        )
    }
    assert kept == rows


def test_every_officials_queue_counts_as_its_rows_on_the_demo(seeded):
    with seeded.app_context():
        seed_claims()
        officials = db.session.scalars(
            select(User).where(User.role.in_(("reviewer", "finance", "government")))
        ).all()
        codes = db.session.scalars(select(Policy.code)).all()
        assert len(officials) > 5
        for actor in officials:
            assert queue_counts(actor) == _by_rows(actor), actor.username
            for code in codes:
                assert queue_counts(actor, code) == _by_rows(actor, code), (actor.username, code)
        _kept_equal_rows()


def test_the_kept_counts_follow_moves_transfers_and_deletes(app, make_claim):
    made = [make_claim(state) for state in ("draft", "submitted", "submitted", "approved")]
    with app.app_context():
        _kept_equal_rows()
        reviewer = db.session.scalar(select(User).filter_by(username="reviewer_jmj"))
        returned = made[1]
        advance(
            reviewer,
            returned.id,
            "return_for_supplement",
            version=returned.version,
            comment="请补充",
            supplement_days=14,
        )
        _kept_equal_rows()
        # A department handing a claim on (转办) moves it between departments' counts.
        claim = db.session.get(Claim, made[2].id)
        other = db.session.scalar(
            select(Policy.department_id).where(Policy.department_id != claim.department_id)
        )
        claim.department_id = other
        db.session.commit()
        _kept_equal_rows()
        db.session.execute(delete(Claim).where(Claim.id == made[0].id))
        db.session.commit()
        _kept_equal_rows()
