"""A state's tasks are checked when the file is loaded: a table that could never open or
complete its tasks stops the start, naming the file and the line of the tasks table."""

from __future__ import annotations

import re

import pytest

from approvals.workflow.registry import load_file
from approvals.workflow.spec import WorkflowError
from tests.tasks.conftest import ALL, joint_claim_text
from tests.workflow.catalog import shipped_catalog

TASKS_HEADER = "[states.joint_review.tasks]"


def _load(tmp_path, text: str):
    path = tmp_path / "joint_claim" / "v1.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_file(path, shipped_catalog())


def _tasks_line(text: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line == TASKS_HEADER)


def test_the_tasks_are_read_into_the_state(tmp_path):
    spec = _load(tmp_path, joint_claim_text("n_of_m = 2")).spec
    tasks = spec.tasks_of("joint_review")
    assert (tasks.candidates, tasks.role, tasks.complete, tasks.n) == (
        "policy.joint_review",
        None,
        "n_of_m",
        2,
    )
    assert spec.fired_by_tasks("joint_review") == ("joint_approve", "joint_return")
    assert spec.fired_by_tasks("draft") == ()


def test_a_role_gets_one_task(tmp_path):
    text = joint_claim_text(ALL).replace('candidates = "policy.joint_review"', 'role = "finance"')
    assert _load(tmp_path, text).spec.tasks_of("joint_review").role == "finance"


CANDIDATES = 'candidates = "policy.joint_review"'


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            CANDIDATES,
            'candidates = "policy.partners"',
            "unknown candidate source 'policy.partners' (known: claim.department,"
            " policy.joint_review)",
        ),
        (CANDIDATES, 'role = "auditor"', "unknown role 'auditor'"),
        (CANDIDATES, f'{CANDIDATES}\nrole = "finance"', "give candidates or role, not both"),
        (CANDIDATES, "", "name who acts"),
        (ALL, "n_of_m = 0", "impossible completion rule: n_of_m = 0"),
        (
            f"{CANDIDATES}\n{ALL}",
            'role = "finance"\nn_of_m = 2',
            "impossible completion rule: n_of_m = 2, but a role has one task",
        ),
        (ALL, 'complete = "most"', "unknown completion rule 'most'"),
        (ALL, 'complete = "n_of_m"', 'complete = "n_of_m" needs its number'),
        ('on_disagree = "joint_return"', "", 'complete = "all" needs on_disagree'),
        (ALL, f"{ALL}\nn_of_m = 2", "give complete"),
        (ALL, "", "name a completion rule"),
        (ALL, 'n_of_m = "2"', "n_of_m must be a whole number"),
        (ALL, f'{ALL}\nnotice = "joint_letter"', "unknown notice kind 'joint_letter'"),
        (ALL, f'{ALL}\nsignoffs = ["leader"]', "unknown keys ['signoffs']"),
        (
            'on_complete = "joint_approve"',
            'on_complete = "finance_approve"',
            "on_complete 'finance_approve' is not a move from 'joint_review'",
        ),
        (
            'on_disagree = "joint_return"',
            'on_disagree = "withdrawn"',
            "on_disagree 'withdrawn' is not a move from 'joint_review'",
        ),
        (
            'on_disagree = "joint_return"',
            'on_disagree = "joint_approve"',
            "on_complete and on_disagree both name 'joint_approve'",
        ),
        ('on_complete = "joint_approve"\n', "", "name the move fired when the rule holds"),
    ],
)
def test_tasks_that_could_not_run_are_refused_naming_file_and_line(tmp_path, old, new, message):
    good = joint_claim_text(ALL)
    assert good.count(old) == 1
    text = good.replace(old, new)
    with pytest.raises(WorkflowError) as refused:
        _load(tmp_path, text)
    where = f"joint_claim/v1.toml:{_tasks_line(text)}: state 'joint_review': tasks: "
    assert where in str(refused.value)
    assert message in str(refused.value)


def test_a_move_the_tasks_fire_may_require_nothing_but_the_opinion(tmp_path):
    text = re.sub(
        r'(trigger = "joint_approve"\n(?:.*\n)*?)requires = \["comment"\]',
        r'\1requires = ["approved_amount", "comment"]',
        joint_claim_text(ALL),
    )
    with pytest.raises(WorkflowError, match=r"v1\.toml:\d+: .*'approved_amount', which no task"):
        _load(tmp_path, text)


def test_the_app_refuses_to_start_on_tasks_it_cannot_run(seeded, deploy):
    with pytest.raises(WorkflowError, match="impossible completion rule"):
        deploy("n_of_m = 0")
