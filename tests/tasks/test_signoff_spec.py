"""A sign-off chain is checked when its file is loaded: positions that exist, a chain with
steps, threshold steps of the chain but not its first, a notice that exists, and the trigger
of task decisions left to them; the file and line of the trouble are named."""

from __future__ import annotations

import pytest

from approvals.workflow.registry import load_file
from approvals.workflow.spec import WorkflowError
from tests.tasks.conftest import SIGNOFF_CLAIM
from tests.workflow.catalog import shipped_catalog

TASKS_HEADER = "[states.dept_review.tasks]"
CHAIN = 'signoff = ["case_officer", "section_chief", "leader"]'
ABOVE = 'above_threshold = ["leader"]'


def _load(tmp_path, text: str):
    path = tmp_path / "signoff_claim" / "v1.toml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return load_file(path, shipped_catalog())


def _line(text: str, wanted: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line == wanted)


def test_the_chain_is_read_into_the_state_and_gives_the_moves_amount(tmp_path):
    tasks = _load(tmp_path, SIGNOFF_CLAIM.read_text("utf-8")).spec.tasks_of("dept_review")
    assert tasks.signoff == ("case_officer", "section_chief", "leader")
    assert tasks.above_threshold == ("leader",) and tasks.chained
    # dept_approve requires approved_amount: the chain's first step gives it, so it loads.


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            CHAIN,
            'signoff = ["case_officer", "director"]',
            "unknown position 'director' in signoff (known: case_officer, section_chief, leader)",
        ),
        (CHAIN, "signoff = []", "signoff names no step"),
        (CHAIN, 'signoff = "leader"', "signoff must be a list of positions"),
        (
            CHAIN,
            'signoff = ["case_officer", "case_officer", "leader"]',
            "signoff names 'case_officer' twice",
        ),
        (
            CHAIN,
            'signoff = ["case_officer", "section_chief"]',
            "above_threshold names 'leader', which is not a step of signoff",
        ),
        (
            ABOVE,
            'above_threshold = ["case_officer"]',
            "above_threshold names the first step 'case_officer', which prepares the amount",
        ),
        (CHAIN, "", "above_threshold without signoff"),
        (
            f"{CHAIN}\n{ABOVE}",
            "",
            "on_complete 'dept_approve' (line 75) requires 'approved_amount', which no task's",
        ),
        (ABOVE, f'{ABOVE}\nnotice = "signoff_opinion"', "unknown notice kind 'signoff_opinion'"),
        (ABOVE, f"{ABOVE}\nnotice = 3", "notice must be a string"),
    ],
)
def test_a_chain_that_could_not_be_signed_is_refused_naming_file_and_line(
    tmp_path, old, new, message
):
    good = SIGNOFF_CLAIM.read_text("utf-8")
    assert good.count(old) == 1
    text = good.replace(old, new)
    with pytest.raises(WorkflowError) as refused:
        _load(tmp_path, text)
    where = f"signoff_claim/v1.toml:{_line(text, TASKS_HEADER)}: state 'dept_review': tasks: "
    assert where in str(refused.value)
    assert message in str(refused.value)


def test_the_move_a_disagreement_fires_still_takes_nothing_but_the_opinion(tmp_path):
    good = SIGNOFF_CLAIM.read_text("utf-8")
    returned = 'trigger = "dept_return"'
    text = good.replace(
        f'{returned}\nsource = "dept_review"\ndest = "returned"\nroles = ["reviewer"]\n'
        'requires = ["comment"]',
        f'{returned}\nsource = "dept_review"\ndest = "returned"\nroles = ["reviewer"]\n'
        'requires = ["comment", "supplement_days"]',
    )
    assert text != good
    with pytest.raises(WorkflowError, match="on_disagree 'dept_return' .* 'supplement_days'"):
        _load(tmp_path, text)


def test_no_workflow_may_name_the_trigger_of_task_decisions(tmp_path):
    good = SIGNOFF_CLAIM.read_text("utf-8")
    text = good.replace('trigger = "withdraw"', 'trigger = "task_decision"')
    with pytest.raises(WorkflowError) as refused:
        _load(tmp_path, text)
    line = _line(text, 'trigger = "task_decision"') - 1  # its [[transitions]] line
    assert f"signoff_claim/v1.toml:{line}: 'task_decision': the name is reserved" in str(
        refused.value
    )
