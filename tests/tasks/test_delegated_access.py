"""The task rule compiled twice agrees with itself once chains, delegations and four-eyes are
in play: for each official, the work list (SQL) holds exactly the tasks can_decide() admits,
and the claims visible_clause() selects are exactly those can_view() admits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from approvals.access import can_decide, can_view, visible_clause
from approvals.claims.models import Claim
from approvals.clock import local_today
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow import rounds, tasks
from approvals.workflow.models import ReviewTask
from tests.tasks.conftest import decide, delegate, task_of

OFFICIALS = (
    "jmj_officer",
    "jmj_chief",
    "jmj_leader",
    "kjj_chief",
    "reviewer_jmj",
    "reviewer_zsj",
    "reviewer_kjj",
)


def _sign(api, username: str, claim_id: int, **prepared):
    client = api(username)
    res = decide(client, task_of(client, claim_id), **prepared)
    assert res.status_code == 200, res.json


@pytest.fixture
def world(seeded, api, file_chain):
    """A claim at each step of the chain, one in the joint review the officer and the chief
    signed into; a running, a scheduled and a revoked delegation."""
    at_officer = file_chain(enterprise="ent_huadong")
    at_chief = file_chain(enterprise="ent_jiangnan")
    _sign(api, "jmj_officer", at_chief, approved_amount="80000")
    in_joint = file_chain(threshold=None, enterprise="ent_jiahe")
    _sign(api, "jmj_officer", in_joint, approved_amount="80000")
    _sign(api, "jmj_chief", in_joint)
    with seeded.app_context():
        tomorrow = local_today() + timedelta(days=1)
    delegate(seeded, api, "jmj_chief", "kjj_chief")
    delegate(seeded, api, "jmj_leader", "kjj_chief", starts_on=tomorrow)
    revoked = delegate(seeded, api, "jmj_officer", "reviewer_zsj")
    assert api("jmj_officer").post(f"/api/v1/delegations/{revoked['id']}/revoke").status_code == 200
    return at_officer, at_chief, in_joint


@pytest.mark.parametrize("username", OFFICIALS)
def test_the_work_list_holds_exactly_the_tasks_can_decide_admits(seeded, world, username):
    with seeded.app_context():
        actor = db.session.scalar(db.select(User).filter_by(username=username))
        rows, _ = tasks.queue(actor, Claim, limit=100)
        listed = {task.id for task, _ in rows}
        open_now = db.session.scalars(
            db.select(ReviewTask).join(Claim).where(rounds.actionable_clause(Claim))
        ).all()
        admitted = {t.id for t in open_now if can_decide(actor, t)}
        assert listed == admitted
        by_sql = set(db.session.scalars(db.select(Claim.id).where(visible_clause(actor, Claim))))
        by_python = {c.id for c in db.session.scalars(db.select(Claim)) if can_view(actor, c)}
        assert by_sql == by_python


def test_the_substitute_sees_what_its_running_delegation_covers(seeded, world):
    at_officer, at_chief, in_joint = world
    with seeded.app_context():
        substitute = db.session.scalar(db.select(User).filter_by(username="kjj_chief"))
        seen = set(db.session.scalars(db.select(Claim.id).where(visible_clause(substitute, Claim))))
        assert {at_officer, at_chief, in_joint} <= seen  # 经贸局 has a task on each
        rows, _ = tasks.queue(substitute, Claim)
        assert {(t.claim_id, t.step) for t, _ in rows} == {(at_chief, "section_chief")}
        # 招商局's reviewer, whose delegation was revoked, sees nothing of 经贸局's chain.
        revoked = db.session.scalar(db.select(User).filter_by(username="reviewer_zsj"))
        assert not can_view(revoked, db.session.get(Claim, at_officer))
