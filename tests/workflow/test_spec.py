"""Workflow definitions are validated at start-up, with messages naming file and line."""

from pathlib import Path

import pytest

from approvals.config import REPO_ROOT
from approvals.workflow.registry import load_all, load_file
from approvals.workflow.spec import WorkflowError
from tests.workflow.catalog import shipped_catalog

WORKFLOW_FILES = sorted((REPO_ROOT / "workflows").glob("*/v*.toml"))
GOOD = (REPO_ROOT / "workflows" / "enterprise_claim" / "v1.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_workflow_is_valid(path):
    engine = load_file(path, shipped_catalog())
    spec = engine.spec
    assert spec.initial in spec.states
    assert all(t.roles for t in spec.transitions)
    assert path.read_text(encoding="utf-8").startswith("#"), "opens with a description"


def test_enterprise_claim_has_the_agreed_triggers():
    engines = load_all(REPO_ROOT / "workflows", shipped_catalog())
    spec = engines.get("enterprise_claim").spec
    assert set(spec.triggers) == {
        "submit",
        "withdraw",
        "return_for_supplement",
        "transfer",
        "dept_approve",
        "dept_reject",
        "dept_reopen",
        "forward_to_finance",
        "finance_approve",
        "finance_send_back",
        "finance_reject",
        "request_cosign",
        "cosign_agree",
        "cosign_disagree",
        "gov_approve",
        "gov_send_back",
        "gov_reject",
        "disburse",
        "put_in_recovery",
        "record_repayment",
        "close_recovery",
        "write_off",
        "lapse",
        "reopen_on_objection",  # 公示: an upheld objection takes the claim back to review
    }
    assert {s for s, st in spec.states.items() if st.final} == {
        "recovered",
        "written_off",
        "rejected",
        "withdrawn",
        "lapsed",
    }


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _line_number(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "message", "anchor"),
    [
        (
            'dest = "finance_review"',
            'dest = "finance_reveiw"',
            "unknown destination state",
            'dest = "finance_reveiw"',
        ),
        (
            'conditions = ["window_open", "evidence_complete", "agency_consented"]',
            'conditions = ["window_open", "evidence_attached", "agency_consented"]',
            "unknown guard 'evidence_attached'",
            "evidence_attached",
        ),
        (
            'roles = ["government"]\nrequires = ["comment"]\nnotice = "rejection"',
            'roles = ["mayor"]\nrequires = ["comment"]\nnotice = "rejection"',
            "unknown role 'mayor'",
            'roles = ["mayor"]',
        ),
        (
            'notice = "payout"',
            'notice = "cheque"',
            "unknown notice kind 'cheque'",
            'notice = "cheque"',
        ),
        (
            'requires = ["payment_reference"]',
            'requires = ["iban"]',
            "unknown required field",
            'requires = ["iban"]',
        ),
        (
            'tags = ["refused"]',
            'tags = ["refuesd"]',
            "unknown tag 'refuesd'",
            'tags = ["refuesd"]',
        ),
        (
            'effects = ["recovery.open", "confirm"]',
            'effects = ["recovery.begin", "confirm"]',
            "unknown effect 'recovery.begin'",
            'trigger = "put_in_recovery"',
        ),
        # A reservation that nothing pays or releases would stay on the budget for ever.
        (
            'trigger = "gov_reject"\nsource = "government_review"\ndest = "rejected"\n'
            'roles = ["government"]\nrequires = ["comment"]\nnotice = "rejection"\n'
            'effects = ["budget.release"]',
            'trigger = "gov_reject"\nsource = "government_review"\ndest = "rejected"\n'
            'roles = ["government"]\nrequires = ["comment"]\nnotice = "rejection"',
            "'gov_reject' leaves 'government_review' (holds_budget): no pay, no release",
            'trigger = "gov_reject"',
        ),
    ],
)
def test_bad_definition_is_refused_naming_file_and_line(tmp_path, old, new, message, anchor):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    path = _write(tmp_path, text)
    with pytest.raises(WorkflowError) as err:
        load_file(path, shipped_catalog())
    problem = str(err.value)
    assert message in problem
    assert str(path) in problem
    # The line named is the transition's header, at most a few lines above the anchor.
    named = int(problem.split(":")[1])
    assert 0 < _line_number(text, anchor) - named < 12


def test_unreachable_state_is_refused(tmp_path):
    text = GOOD + '\n[states.archived]\nlabel = { zh = "归档", en = "Archived" }\nfinal = true\n'
    path = _write(tmp_path, text)
    with pytest.raises(WorkflowError, match="'archived' cannot be reached"):
        load_file(path, shipped_catalog())


def test_state_without_way_out_is_refused(tmp_path):
    text = GOOD.replace(
        'tags = ["approved", "paid", "recovered"]\nfinal = true',
        'tags = ["approved", "paid", "recovered"]',
    )
    path = _write(tmp_path, text)
    with pytest.raises(WorkflowError, match="'recovered' is not final and has no way out"):
        load_file(path, shipped_catalog())


def test_move_out_of_final_state_is_refused(tmp_path):
    text = GOOD.replace('source = "approved"', 'source = ["approved", "rejected"]')
    path = _write(tmp_path, text)
    with pytest.raises(WorkflowError, match="leaves final state 'rejected'"):
        load_file(path, shipped_catalog())


def test_ambiguous_duplicate_trigger_is_refused(tmp_path):
    text = GOOD.replace('conditions = ["needs_government_approval", "exclusive_group_clear"]\n', "")
    path = _write(tmp_path, text)
    with pytest.raises(WorkflowError, match="declared twice"):
        load_file(path, shipped_catalog())


def test_unknown_initial_state_is_refused(tmp_path):
    path = _write(tmp_path, GOOD.replace('initial = "draft"', 'initial = "new"'))
    with pytest.raises(WorkflowError, match=r"broken.toml:\d+: initial state 'new'"):
        load_file(path, shipped_catalog())


def test_app_refuses_to_start_with_a_bad_workflow(tmp_path):
    from approvals import create_app

    (tmp_path / "wf" / "enterprise_claim").mkdir(parents=True)
    broken = GOOD.replace('dest = "withdrawn"', 'dest = "gone"')
    (tmp_path / "wf" / "enterprise_claim" / "v1.toml").write_text(broken)
    with pytest.raises(WorkflowError, match="unknown destination state 'gone'"):
        create_app({"WORKFLOWS_DIR": str(tmp_path / "wf"), "SQLALCHEMY_DATABASE_URI": "sqlite://"})
