"""The rule table compiled twice agrees with itself: for every actor and a claim in every
state (and claims carrying review tasks of departments other than their own), the SQL clause
selects exactly the claims can_view() admits, and both match the table of who sees what
written out below."""

from __future__ import annotations

from itertools import product

import pytest

from approvals.access import RULES, can_edit, can_view, can_view_payout_batches, visible_clause
from approvals.access.roles import ROLES
from approvals.claims.models import Claim
from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import Department, User
from approvals.workflow.models import ReviewTask
from tests.access.conftest import ACTORS, Placed, engines

# Who sees which claim, said plainly: the table the compiled rules must reproduce. `tasks`
# are the codes of the departments with a review task on the claim (any status, any round).
SEES = {
    "ent_huadong": lambda c, tasks: c.enterprise == "ent_huadong",
    "ent_jiangnan": lambda c, tasks: c.enterprise == "ent_jiangnan",
    "reviewer_jmj": lambda c, tasks: c.filed and (c.department == "JMJ" or "JMJ" in tasks),
    "reviewer_kjj": lambda c, tasks: c.filed and (c.department == "KJJ" or "KJJ" in tasks),
    "finance": lambda c, tasks: c.reached_finance,
    "finance_kjj": lambda c, tasks: c.reached_finance,
    "gov": lambda c, tasks: c.reached_government,
    "gov_kjj": lambda c, tasks: c.reached_government,
    "admin": lambda c, tasks: True,
    "system": lambda c, tasks: False,
    "expert_wang": lambda c, tasks: False,  # scores through approvals/expert_review only
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


# The task each claim carries: (status, department code or None for a role's task), whose
# holder or signer is the demo reviewer of that department.
TASKS = (("open", "KJJ"), ("claimed", "KJJ"), ("done", "JMJ"), ("open", "ZSJ"), ("open", None))
SIGNER = {"JMJ": "reviewer_jmj", "KJJ": "reviewer_kjj", "ZSJ": "reviewer_zsj", None: "admin"}


@pytest.fixture
def with_tasks(seeded, place_claim) -> dict[int, tuple[Placed, frozenset[str]]]:
    """Claim id → (the claim, the departments with a task on it): a claim under each of two
    departments' clauses, filed (waiting, or long past the round of its task) or never filed,
    carrying one task of TASKS; and a claim with tasks of two rounds."""
    placed: dict[int, tuple[Placed, frozenset[str]]] = {}

    def add(claim: Placed, tasks) -> None:
        with seeded.app_context():
            for number, (status, code) in enumerate(tasks, start=1):
                department = db.session.scalar(db.select(Department).filter_by(code=code or ""))
                signer = db.session.scalar(db.select(User).filter_by(username=SIGNER[code]))
                task = ReviewTask(
                    claim_id=claim.id,
                    state="submitted",
                    round=number,
                    department=department,
                    role="reviewer" if code else "finance",
                    status=status,
                )
                if status != "open":
                    task.assignee = signer
                if status == "done":
                    task.decision, task.opinion = "agree", None
                    task.decided_by, task.decided_at = signer, utcnow()
                db.session.add(task)
            db.session.commit()
        placed[claim.id] = (claim, frozenset(code for _, code in tasks if code))

    for policy, task, (state, filed) in product(
        POLICIES, TASKS, (("submitted", True), ("disbursed", True), ("withdrawn", False))
    ):
        add(
            place_claim(state, policy=policy, filed=filed, reached_finance=state == "disbursed"),
            [task],
        )
    add(place_claim("submitted", policy="JMJ-PLAN"), [("done", "KJJ"), ("open", "ZSJ")])
    return placed


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
def test_visible_clause_selects_what_can_view_admits(
    seeded, actors, every_state, with_tasks, principal
):
    with seeded.app_context():
        actor = db.session.get(User, actors[principal])
        by_sql = set(db.session.scalars(db.select(Claim.id).where(visible_clause(actor, Claim))))
        by_python = {c.id for c in db.session.scalars(db.select(Claim)) if can_view(actor, c)}
    claims = [(c, frozenset()) for c in every_state] + list(with_tasks.values())
    expected = {c.id for c, tasks in claims if SEES[principal](c, tasks)}
    assert by_sql == by_python == expected


def test_a_reviewer_sees_another_departments_claim_its_department_has_a_task_on(
    seeded, actors, with_tasks
):
    """The rule the table's tasks column adds, on its own: 科技局's reviewer sees the 经贸局
    claims with a 科技局 task, whatever the task's status, once they were filed."""
    expected = {
        claim.id
        for claim, tasks in with_tasks.values()
        if claim.department == "JMJ" and "KJJ" in tasks and claim.filed
    }
    # Open and claimed, on a claim waiting or long paid; decided, in a round before another's.
    assert len(expected) == 5
    with seeded.app_context():
        reviewer = db.session.get(User, actors["reviewer_kjj"])
        seen = db.session.scalars(db.select(Claim).where(visible_clause(reviewer, Claim)))
        assert {c.id for c in seen if c.department_id != reviewer.department_id} == expected


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
