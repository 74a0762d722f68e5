"""Workflow versions: a claim runs on the version it was filed under, new claims take the
newest, and `flask migrate-claims` moves claims to a newer version by its state map, with
an audit event, all of them or none.

Version 2 here renames `finance_review` to `finance_rereview` and drops a rule: finance may
no longer send a claim back to the department (`finance_send_back`).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from approvals import workflow
from approvals.audit.check import AuditReport, check_claims
from approvals.claims.models import Claim, ClaimEvent
from approvals.config import REPO_ROOT
from approvals.extensions import db
from approvals.workflow.migrate import _differences
from approvals.workflow.models import ReviewTask
from approvals.workflow.spec import Label, StateSpec, WorkflowError
from approvals.workflow.task_spec import TaskSpec

SHIPPED_V1 = REPO_ROOT / "workflows" / "enterprise_claim" / "v1.toml"
RENAME = '[migrate_from.1]\nstates = { finance_review = "finance_rereview" }\n'


def version_2(migrate_from: str = RENAME) -> str:
    """The shipped file as version 2: `finance_review` renamed, `finance_send_back` gone,
    and `migrate_from` appended as given."""
    text = SHIPPED_V1.read_text(encoding="utf-8").replace("version = 1", "version = 2", 1)
    text = re.sub(
        r'\[\[transitions\]\]\ntrigger = "finance_send_back"\n.*?(?=\n\[\[transitions\]\])',
        "",
        text,
        flags=re.S,
    )
    assert "finance_send_back" not in text
    text = text.replace("[states.finance_review]", "[states.finance_rereview]")
    text = text.replace('"finance_review"', '"finance_rereview"')
    return f"{text}\n{migrate_from}"


@pytest.fixture
def deploy(seeded, tmp_path):
    """deploy(v2=None) → the app restarted on workflows/enterprise_claim/v1.toml (a copy of
    the shipped file) and, when given, v2.toml: what start-up loads, on the same database."""
    folder = tmp_path / "workflows" / "enterprise_claim"
    folder.mkdir(parents=True)
    shutil.copy(SHIPPED_V1, folder / "v1.toml")

    def run(v2: str | None = None) -> None:
        if v2 is not None:
            (folder / "v2.toml").write_text(v2, encoding="utf-8")
        seeded.config["WORKFLOWS_DIR"] = str(folder.parent)
        workflow.init_app(seeded)

    run()
    return run


@pytest.fixture
def in_finance_review(api, send_form):
    """in_finance_review(enterprise) → the id of its JMJ-PLAN claim, with its evidence,
    submitted, approved by the department and sent on its 申请认定表."""

    def make(enterprise: str = "ent_huadong") -> int:
        claim_id = filed(api, enterprise)
        res = api("reviewer_jmj").fire(
            claim_id, "dept_approve", approved_amount="100000", comment="同意"
        )
        assert res.status_code == 200, res.json
        send_form(claim_id)
        return claim_id

    return make


def filed(api, enterprise: str) -> int:
    ent = api(enterprise)
    claim_id = ent.create_claim()["id"]
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim_id, kind).status_code == 201
    assert ent.fire(claim_id, "submit").status_code == 200
    return claim_id


def migrate_claims(app, *args: str):
    return app.test_cli_runner().invoke(args=["migrate-claims", "enterprise_claim", *args])


def stored(app, claim_id: int) -> tuple[str, int, int]:
    """(state, workflow version, number of events) as the database has them."""
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        return claim.state, claim.workflow_version, len(claim.events)


# What version 2 offers finance at its re-review: everything but the send-back.
OFFERED_IN_V2 = ["finance_approve", "finance_reject", "request_cosign"]


def offered_to_finance(api, claim_id: int) -> list[str]:
    return api("finance").claim(claim_id).json["available_triggers"]


# Each claim on its own version ------------------------------------------------------------


def test_a_claim_keeps_the_rules_of_the_version_it_was_filed_under(
    seeded, api, deploy, in_finance_review
):
    old = in_finance_review("ent_huadong")
    deploy(version_2())
    assert stored(seeded, old)[:2] == ("finance_review", 1)
    assert "finance_send_back" in offered_to_finance(api, old)

    new = in_finance_review("ent_jiangnan")
    assert stored(seeded, new)[:2] == ("finance_rereview", 2)
    assert offered_to_finance(api, new) == OFFERED_IN_V2
    refused = api("finance").fire(new, "finance_send_back", comment="请补充")
    assert refused.status_code == 422 and "finance_send_back" in refused.json["error"]["message"]
    # The old claim still takes version 1's move, and arrives in version 1's state.
    res = api("finance").fire(old, "finance_send_back", comment="请补充")
    assert res.status_code == 200 and stored(seeded, old)[:2] == ("submitted", 1)


# Moving claims between versions -------------------------------------------------------------


def test_migrate_claims_maps_the_state_records_the_event_and_applies_the_new_rules(
    seeded, api, deploy, in_finance_review
):
    reviewed = in_finance_review()
    waiting = filed(api, "ent_jiangnan")  # submitted: the same name in both versions
    deploy(version_2())

    result = migrate_claims(seeded, "1", "2")
    assert result.exit_code == 0, result.output
    assert "finance_review → finance_rereview" in result.output
    assert "submitted → submitted (same state)" in result.output
    assert "enterprise_claim v1 → v2: 2 moved" in result.output
    assert stored(seeded, reviewed) == ("finance_rereview", 2, 4)
    assert stored(seeded, waiting)[:2] == ("submitted", 2)

    with seeded.app_context():
        event = db.session.scalars(
            db.select(ClaimEvent).filter_by(claim_id=reviewed).order_by(ClaimEvent.id.desc())
        ).first()
        assert (event.trigger, event.from_state, event.to_state) == (
            "migrate",
            "finance_review",
            "finance_rereview",
        )
        assert event.actor.role == "system"
        assert event.payload == {"from_version": 1, "to_version": 2}
        assert event.snapshot["workflow"] == {"name": "enterprise_claim", "version": 2}
        report = AuditReport()
        check_claims(report, [reviewed, waiting])
        assert report.ok, report.breaks

    assert offered_to_finance(api, reviewed) == OFFERED_IN_V2
    res = api("finance").fire(reviewed, "finance_approve", comment="同意")
    assert res.status_code == 200, res.json
    assert stored(seeded, reviewed)[:2] == ("approved", 2)

    again = migrate_claims(seeded, "1", "2")
    assert again.exit_code == 0 and "0 moved" in again.output

    # The claim's history names the move for what it was.
    from tests.web.conftest import WebClient, text

    finance = WebClient(seeded.test_client())
    finance.signin("finance")
    assert "流程版本迁移" in text(finance.get(f"/claims/{reviewed}"))


def test_dry_run_prints_the_moves_and_changes_nothing(seeded, api, deploy, in_finance_review):
    claim_id = in_finance_review()
    deploy(version_2())
    before = stored(seeded, claim_id)

    result = migrate_claims(seeded, "1", "2", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "finance_review → finance_rereview" in result.output
    assert "1 would move" in result.output
    assert stored(seeded, claim_id) == before == ("finance_review", 1, 3)


def test_a_claim_the_new_version_cannot_place_is_refused_and_nothing_moves(
    seeded, api, deploy, in_finance_review
):
    reviewed = in_finance_review()
    waiting = filed(api, "ent_jiangnan")
    deploy(version_2(migrate_from="[migrate_from.1]\nstates = {}\n"))  # the rename unmapped

    with seeded.app_context():
        number = db.session.get(Claim, reviewed).number
    outcomes = {(): "未迁移任何申报", ("--dry-run",): "1 refused, nothing would move"}
    for extra, outcome in outcomes.items():
        result = migrate_claims(seeded, "1", "2", *extra)
        assert result.exit_code == 1, result.output
        assert f"refuse  {number}: 状态“finance_review”在第 2 版中不存在" in result.output
        assert outcome in result.output
    assert stored(seeded, reviewed) == ("finance_review", 1, 3)
    assert stored(seeded, waiting)[:2] == ("submitted", 1)  # placeable, but nothing half-done


def test_a_state_that_changes_meaning_is_refused(seeded, deploy, in_finance_review):
    claim_id = in_finance_review()
    # government_review holds a budget reservation; a claim in finance_review holds none.
    deploy(version_2('[migrate_from.1]\nstates = { finance_review = "government_review" }\n'))
    result = migrate_claims(seeded, "1", "2")
    assert result.exit_code == 1
    assert "含义不同：标签 无 → holds_budget" in result.output
    assert stored(seeded, claim_id)[:2] == ("finance_review", 1)


@pytest.mark.parametrize(
    ("migrate_from", "args", "message"),
    [
        (RENAME, ("2", "1"), "只能迁移到更新的版本：第 1 版不比第 2 版新"),
        (RENAME, ("2", "2"), "只能迁移到更新的版本"),
        (RENAME, ("1", "3"), "流程 enterprise_claim 没有第 3 版（已加载第 1、2 版）"),
        ("", ("1", "2"), "第 2 版没有声明 [migrate_from.1]"),
        (
            '[migrate_from.1]\nstates = { finanse_review = "finance_rereview" }\n',
            ("1", "2"),
            "[migrate_from.1] 中的“finanse_review”不是第 1 版的状态",
        ),
    ],
)
def test_a_migration_the_files_do_not_support_is_refused_with_its_reason(
    seeded, deploy, in_finance_review, migrate_from, args, message
):
    claim_id = in_finance_review()
    deploy(version_2(migrate_from))
    result = migrate_claims(seeded, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert stored(seeded, claim_id) == ("finance_review", 1, 3)


def test_an_unknown_workflow_is_named(seeded, deploy):
    result = seeded.test_cli_runner().invoke(args=["migrate-claims", "grants", "1", "2"])
    assert result.exit_code == 1 and "未知的流程：grants" in result.output


def test_a_map_to_a_state_the_new_version_lacks_stops_the_start(seeded, deploy):
    with pytest.raises(WorkflowError, match=r"v2\.toml:\d+: migrate_from\.1: 'finance_review'"):
        deploy(version_2('[migrate_from.1]\nstates = { finance_review = "nowhere" }\n'))


def test_the_shipped_versions_load_each_under_its_own_number(app):
    with app.app_context():
        from approvals.workflow.registry import workflows

        loaded = {(e.spec.name, e.spec.version): Path(e.spec.path) for e in workflows().values()}
    for (name, version), path in loaded.items():
        assert (path.parent.name, path.name) == (name, f"v{version}.toml")


# Review tasks are part of what a state means ---------------------------------------------------

FINANCE_TASKS = """
[states.finance_rereview.tasks]
role = "finance"
complete = "all"
on_complete = "finance_approve"
on_disagree = "finance_reject"
"""


def test_a_state_that_gains_review_tasks_is_refused_and_nothing_moves(
    seeded, api, deploy, in_finance_review
):
    """A migration opens no round, and the moves the tasks fire are not offered by hand:
    a claim moved into the state would wait for a decision nobody could give."""
    reviewed = in_finance_review()
    waiting = filed(api, "ent_jiangnan")  # placeable, but nothing half-done
    deploy(version_2() + FINANCE_TASKS)

    with seeded.app_context():
        number = db.session.get(Claim, reviewed).number
    result = migrate_claims(seeded, "1", "2")
    assert result.exit_code == 1, result.output
    assert (
        f"refuse  {number}: “finance_review”与第 2 版的“finance_rereview”含义不同："
        "审核任务 无 → 有（迁移不开启审核任务，无人能办理）"
    ) in result.output
    assert "未迁移任何申报" in result.output
    assert stored(seeded, reviewed) == ("finance_review", 1, 3)
    assert stored(seeded, waiting)[:2] == ("submitted", 1)
    with seeded.app_context():
        assert db.session.scalars(db.select(ReviewTask)).all() == []


RULE = TaskSpec(on_complete="joint_approve", candidates="policy.joint_review", line=20)


def _state(name: str = "joint_review", tasks: TaskSpec | None = RULE) -> StateSpec:
    return StateSpec(name, Label("联合审核中", "In joint review"), queue="department", tasks=tasks)


@pytest.mark.parametrize(
    ("old", "new", "refusal"),
    [
        (_state(tasks=None), _state(), "审核任务 无 → 有"),
        (_state(), _state(tasks=None), "审核任务 有 → 无"),
        (_state(), _state(tasks=replace(RULE, complete="any")), "审核任务的规则不同"),
        (_state(), _state(tasks=replace(RULE, on_disagree="joint_return")), "审核任务的规则不同"),
        (_state(), _state("joint_rereview"), "改名为“joint_rereview”后无人能办理"),
        (_state(), _state(tasks=replace(RULE, line=31)), None),  # the same rule, moved in its file
        (_state(tasks=None), _state("joint_rereview", tasks=None), None),
    ],
)
def test_review_tasks_must_stay_as_they_were_for_a_claim_to_move(old, new, refusal):
    found = _differences(old, new)
    if refusal is None:
        assert found == []
    else:
        assert len(found) == 1 and refusal in found[0]
