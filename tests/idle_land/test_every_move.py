"""Every move of the idle-land workflow a person takes can be taken from the claim page, as
tests/claims/test_every_transition.py proves for the claims' workflows: the case is driven
to the move's state through the one door, the person opens the claim page and posts its
form (a move the verification's tasks fire, by deciding the last task there)."""

from __future__ import annotations

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow.registry import workflows
from tests.claims.test_every_transition import (
    decide_from_page,
    fire,
    paths,
    people,
    problems,
    someone,
    take_from_page,
)
from tests.idle_land.conftest import TOWNSHIP, file_case
from tests.web.conftest import WebClient


def _moves():
    spec = workflows().get("idle_land").spec
    reachable = paths(spec)
    for t in spec.transitions:
        for source in t.sources:
            if source in reachable:
                for role in people(t):
                    yield spec, t, source, role


def test_every_idle_land_move_works_from_the_claim_page(seeded, subtests):
    with seeded.app_context():
        every = list(_moves())
    # All but the system's two moves and the rectification in the second period, which only
    # the system's move reaches: test_periods.py takes those.
    assert len(every) == 12
    for spec, t, source, role in every:
        with subtests.test(f"{source} → {t.trigger} as {role}"):
            with seeded.app_context():
                township = db.session.scalar(select(User).filter_by(username=TOWNSHIP))
                claim_id = file_case(township)
                for step in paths(spec)[source]:
                    assert fire(claim_id, step).state == step.dest
            if t.trigger in spec.fired_by_tasks(source):
                res, username = decide_from_page(seeded, claim_id, t, source)
            else:
                with seeded.app_context():
                    claim = db.session.get(Claim, claim_id)
                    username = someone(claim, t, (role,)).username
                client = WebClient(seeded.test_client())
                client.signin(username)
                res = take_from_page(client, claim_id, t.trigger, t.requires)
            assert res.status_code == 302, problems(res)
            with seeded.app_context():
                claim = db.session.get(Claim, claim_id)
                assert claim.state == t.dest
                assert claim.events[-1].trigger == t.trigger
