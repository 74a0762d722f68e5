"""make_claim places a claim in a state that declares review tasks with its round open, as a
move into that state would have left it: the round the runtime's own code opens, which the
departments then decide like any other."""

from __future__ import annotations

import pytest

from approvals.errors import Conflict
from tests.audit.conftest import check_audit
from tests.tasks.conftest import JOINT, REVIEWERS, decide_as, stored_tasks


@pytest.fixture
def joint_policy(deploy, reviewers, make_policy):
    """joint_policy(departments, completion) → the code of a new joint_claim policy listing
    `departments` for joint review, the app restarted on `completion`."""

    def make(departments=JOINT, completion: str = 'complete = "all"') -> str:
        deploy(completion)
        return make_policy(
            workflow="joint_claim", joint_review=list(departments), required_evidence=[]
        )

    return make


def test_a_claim_made_in_a_task_state_has_its_round_open(seeded, api, make_claim, joint_policy):
    claim = make_claim("joint_review", policy=joint_policy())
    assert claim.state == "joint_review"
    assert stored_tasks(seeded, claim.id) == [(1, code, "open", None) for code in JOINT]

    for code in JOINT:
        res = decide_as(api, REVIEWERS[code], claim.id)
        assert res.status_code == 200, res.json
    assert api("admin").claim(claim.id).json["state"] == "finance_review"
    code, output = check_audit(seeded)
    assert code == 0, output


@pytest.mark.parametrize("state", ["draft", "finance_review", "returned", "approved"])
def test_a_claim_made_past_or_before_the_task_state_has_no_tasks(
    seeded, make_claim, joint_policy, state
):
    claim = make_claim(state, policy=joint_policy())
    assert claim.state == state
    assert stored_tasks(seeded, claim.id) == []


def test_a_claim_made_where_its_round_could_never_complete_is_refused(make_claim, joint_policy):
    code = joint_policy(departments=("JMJ", "ZSJ"), completion="n_of_m = 3")
    with pytest.raises(Conflict, match="只列出了 2 个"):
        make_claim("joint_review", policy=code)
