"""The rule table compiled twice agrees with itself: for every actor and a claim in every
state, the SQL clause selects exactly the claims can_view() admits, and both match the table
of who sees what written out below."""

from __future__ import annotations

from itertools import product

import pytest

from approvals.access import RULES, can_edit, can_view, can_view_payout_batches, visible_clause
from approvals.access.roles import ROLES
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from tests.access.conftest import ACTORS, Placed, engines

# Who sees which claim, said plainly: the table the compiled rules must reproduce.
SEES = {
    "ent_huadong": lambda c: c.enterprise == "ent_huadong",
    "ent_jiangnan": lambda c: c.enterprise == "ent_jiangnan",
    "reviewer_jmj": lambda c: c.department == "JMJ" and c.filed,
    "reviewer_kjj": lambda c: c.department == "KJJ" and c.filed,
    "finance": lambda c: c.reached_finance,
    "finance_kjj": lambda c: c.reached_finance,
    "gov": lambda c: c.reached_government,
    "gov_kjj": lambda c: c.reached_government,
    "admin": lambda c: True,
    "system": lambda c: False,
}
# Whether a claim reached the city offices, in the combinations the data can hold.
REACHED = ((False, False), (True, False), (True, True))
ENTERPRISES, POLICIES = ("ent_huadong", "ent_jiangnan"), ("JMJ-PLAN", "KJJ-HITECH")


@pytest.fixture
def every_state(seeded, place_claim) -> list[Placed]:
    """A claim in every state of every loaded workflow, of two enterprises under clauses of
    two departments, having reached none, one or both city offices; and a draft withdrawn
    before it was ever submitted."""
    states = {s for engine in engines(seeded) for s in engine.spec.states}
    withdrawn_drafts = [
        place_claim(state, enterprise=enterprise, policy=policy, filed=False)
        for engine in engines(seeded)
        for state in engine.spec.states_tagged("given_up")
        for enterprise, policy in product(
            ("ent_huadong", "ent_jiangnan"), ("JMJ-PLAN", "KJJ-HITECH")
        )
    ]
    return withdrawn_drafts + [
        place_claim(
            state, enterprise=enterprise, policy=policy, reached_finance=f, reached_government=g
        )
        for state, enterprise, policy, (f, g) in product(
            sorted(states), ENTERPRISES, POLICIES, REACHED
        )
    ]


def test_every_role_has_exactly_one_rule():
    assert sorted(rule.role for rule in RULES) == sorted(ROLES)


def test_a_draft_withdrawn_before_it_was_submitted_stays_the_enterprises_alone(
    seeded, actors, place_claim
):
    never_filed = place_claim("withdrawn", filed=False)
    filed = place_claim("withdrawn", filed=True)
    with seeded.app_context():
        reviewer = db.session.get(User, actors["reviewer_jmj"])
        assert not can_view(reviewer, db.session.get(Claim, never_filed.id))
        assert can_view(reviewer, db.session.get(Claim, filed.id))


@pytest.mark.parametrize("principal", sorted(ACTORS))
def test_visible_clause_selects_what_can_view_admits(seeded, actors, every_state, principal):
    with seeded.app_context():
        actor = db.session.get(User, actors[principal])
        by_sql = set(db.session.scalars(db.select(Claim.id).where(visible_clause(actor, Claim))))
        by_python = {c.id for c in db.session.scalars(db.select(Claim)) if can_view(actor, c)}
    expected = {c.id for c in every_state if SEES[principal](c)}
    assert by_sql == by_python == expected


def test_only_the_claims_enterprise_may_edit_it(seeded, actors, place_claim):
    own = place_claim("draft")
    with seeded.app_context():
        claim = db.session.get(Claim, own.id)
        for principal, user_id in actors.items():
            decision = can_edit(db.session.get(User, user_id), claim)
            assert bool(decision) == (principal == "ent_huadong"), principal
            assert decision.reason == ("" if decision else "只有申报企业可以修改申报")


def test_payout_batch_lists_are_for_the_offices_that_pay(seeded, actors):
    offices = {"finance", "finance_kjj", "gov", "gov_kjj", "admin"}
    with seeded.app_context():
        for principal, user_id in actors.items():
            seen = can_view_payout_batches(db.session.get(User, user_id))
            assert seen == (principal in offices), principal
