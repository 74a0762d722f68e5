"""Review-task fixtures: the app restarted on a workflow folder holding the shipped enterprise
track and a joint-review track (joint_claim.toml beside this file), a reviewer for every
department of the joint review, and claims filed into it through the API; and the signed-in
web client of the page tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from approvals import workflow
from approvals.config import REPO_ROOT
from approvals.extensions import db
from tests.conftest import PASSWORD
from tests.web.conftest import compiled_catalogs, web  # noqa: F401  (fixtures of the page tests)

SHIPPED_V1 = REPO_ROOT / "workflows" / "enterprise_claim" / "v1.toml"
JOINT_CLAIM = Path(__file__).with_name("joint_claim.toml")
ALL = 'complete = "all"'
# 经贸局 and 招商局 review together with 财政局 (DOMAIN.md: 联合审核).
JOINT = ("JMJ", "ZSJ", "CZJ")
REVIEWERS = {"JMJ": "reviewer_jmj", "ZSJ": "reviewer_zsj", "CZJ": "reviewer_czj"}


def joint_claim_text(completion: str = ALL) -> str:
    text = JOINT_CLAIM.read_text(encoding="utf-8")
    assert text.count("\nCOMPLETION\n") == 1
    return text.replace("\nCOMPLETION\n", f"\n{completion}\n")


@pytest.fixture
def deploy(seeded, tmp_path):
    """deploy(completion) → the app restarted on the shipped enterprise_claim v1 and
    joint_claim v1 with the completion rule given (a line of its tasks table)."""
    root = tmp_path / "workflows"
    (root / "enterprise_claim").mkdir(parents=True)
    (root / "joint_claim").mkdir()
    shutil.copy(SHIPPED_V1, root / "enterprise_claim" / "v1.toml")

    def run(completion: str = ALL) -> None:
        (root / "joint_claim" / "v1.toml").write_text(joint_claim_text(completion), "utf-8")
        seeded.config["WORKFLOWS_DIR"] = str(root)
        workflow.init_app(seeded)

    return run


@pytest.fixture
def make_reviewer(seeded):
    """make_reviewer(username, department code) → a reviewer of that department, signed
    in with the demo password, made by the accounts service."""
    from approvals.organisations.services import create_user

    def make(username: str, department: str, display_name: str | None = None) -> str:
        with seeded.app_context():
            create_user(
                username,
                PASSWORD,
                "reviewer",
                department_code=department,
                display_name=display_name or username,
            )
        return username

    return make


@pytest.fixture
def reviewers(seeded, make_reviewer) -> dict[str, str]:
    """Department code → the username of its reviewer (the demo's, named 市…局初审; made
    here for a department the demo data gives none)."""
    from approvals.organisations.models import Department, User

    for code, username in REVIEWERS.items():
        with seeded.app_context():
            known = db.session.scalar(db.select(User.id).filter_by(username=username))
            name = db.session.scalar(db.select(Department.name).filter_by(code=code))
        if known is None:
            make_reviewer(username, code, display_name=f"{name}初审")
    return REVIEWERS


@pytest.fixture
def file_joint(seeded, api, make_policy, deploy, reviewers):
    """file_joint(completion, departments, enterprise) → the id of a claim submitted under a
    new joint_claim policy listing `departments` for joint review (the app restarted on
    `completion` the first time)."""
    deployed: list[str] = []

    def make(completion: str = ALL, departments=JOINT, enterprise: str = "ent_huadong") -> int:
        if not deployed:
            deploy(completion)
            deployed.append(completion)
        assert deployed == [completion], "one completion rule per test"
        code = make_policy(
            workflow="joint_claim", joint_review=list(departments), required_evidence=[]
        )
        ent = api(enterprise)
        claim_id = ent.create_claim(code, "1000.00")["id"]
        res = ent.fire(claim_id, "submit")
        assert res.status_code == 200, res.json
        return claim_id

    return make


def task_of(client, claim_id: int, status: str = "open") -> dict | None:
    """The one task of the claim in `client`'s work list, if any."""
    items = client.get(f"/api/v1/tasks?status={status}").json["items"]
    mine = [t for t in items if t["claim_id"] == claim_id]
    assert len(mine) <= 1, mine
    return mine[0] if mine else None


def decide(client, task: dict, decision: str = "agree", opinion: str | None = "同意", **extra):
    body = {"decision": decision, "version": task["version"], **extra}
    if opinion is not None:
        body["opinion"] = opinion
    return client.post(f"/api/v1/tasks/{task['id']}/decision", json=body)


def decide_as(api, username: str, claim_id: int, decision="agree", opinion="同意"):
    client = api(username)
    task = task_of(client, claim_id)
    assert task is not None, f"{username} has no open task of claim {claim_id}"
    return decide(client, task, decision, opinion)


def stored_tasks(app, claim_id: int) -> list[tuple]:
    """(round, department code, status, decision) of every task of the claim, in id order."""
    from approvals.workflow.models import ReviewTask

    with app.app_context():
        rows = db.session.scalars(
            db.select(ReviewTask).filter_by(claim_id=claim_id).order_by(ReviewTask.id)
        )
        return [(t.round, t.department.code, t.status, t.decision) for t in rows]
