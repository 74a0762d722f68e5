"""Review-task fixtures: the app restarted on a workflow folder holding the shipped enterprise
track, a joint-review track (joint_claim.toml beside this file) and a sign-off chain track
(signoff_claim.toml), a reviewer for every department of the joint review, the officials of
经贸局's chain (case officer, section chief, leader), and claims filed into either through
the API; and the signed-in web client of the page tests."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from approvals import workflow
from approvals.config import REPO_ROOT
from approvals.extensions import db
from tests.conftest import PASSWORD
from tests.web.conftest import compiled_catalogs, web  # noqa: F401  (fixtures of the page tests)

SHIPPED_V1 = REPO_ROOT / "workflows" / "enterprise_claim" / "v1.toml"
JOINT_CLAIM = Path(__file__).with_name("joint_claim.toml")
SIGNOFF_CLAIM = Path(__file__).with_name("signoff_claim.toml")
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
    (root / "signoff_claim").mkdir()
    shutil.copy(SHIPPED_V1, root / "enterprise_claim" / "v1.toml")
    shutil.copy(SIGNOFF_CLAIM, root / "signoff_claim" / "v1.toml")

    def run(completion: str = ALL) -> None:
        (root / "joint_claim" / "v1.toml").write_text(joint_claim_text(completion), "utf-8")
        seeded.config["WORKFLOWS_DIR"] = str(root)
        workflow.init_app(seeded)

    return run


@pytest.fixture
def make_reviewer(seeded):
    """make_reviewer(username, department code, display name, position) → a reviewer of that
    department, signed in with the demo password, made by the accounts service, in that
    place of a sign-off chain (access/roles.py POSITIONS) when one is given."""
    from approvals.organisations.services import create_user

    def make(username: str, department: str, display_name: str | None = None, position=None) -> str:
        with seeded.app_context():
            create_user(
                username,
                PASSWORD,
                "reviewer",
                department_code=department,
                display_name=display_name or username,
            )
            if position is not None:
                set_position(username, position)
        return username

    return make


def set_position(username: str, position: str | None) -> None:
    """An official's place in the chain, as an administrator records it (in an app context)."""
    from approvals.organisations.models import User

    user = db.session.scalar(db.select(User).filter_by(username=username))
    user.position = position
    db.session.commit()


# 经贸局's chain, and a section chief of 科技局 (another department) to substitute for its own.
CHAIN = {
    "jmj_officer": ("JMJ", "case_officer", "张经办"),
    "jmj_chief": ("JMJ", "section_chief", "李科长"),
    "jmj_leader": ("JMJ", "leader", "王局长"),
    "kjj_chief": ("KJJ", "section_chief", "赵科长"),
}


@pytest.fixture
def chain_officials(make_reviewer, reviewers) -> dict[str, str]:
    for username, (department, position, name) in CHAIN.items():
        make_reviewer(username, department, name, position)
    return {username: name for username, (_, _, name) in CHAIN.items()}


@pytest.fixture
def file_chain(seeded, api, make_policy, deploy, chain_officials):
    """file_chain(threshold, requested, joint, enterprise) → the id of a claim submitted
    under a new 经贸局 signoff_claim policy whose sign-off threshold is `threshold` (None:
    none) and whose joint review lists `joint`; the app restarted the first time."""
    deployed: list[bool] = []

    def make(
        threshold: str | None = "50000.00",
        requested: str = "80000.00",
        joint=("JMJ", "ZSJ"),
        enterprise: str = "ent_huadong",
    ) -> int:
        if not deployed:
            deploy()
            deployed.append(True)
        code = make_policy(
            workflow="signoff_claim",
            joint_review=list(joint),
            required_evidence=[],
            signoff_threshold=Decimal(threshold) if threshold is not None else None,
        )
        ent = api(enterprise)
        claim_id = ent.create_claim(code, requested)["id"]
        res = ent.fire(claim_id, "submit")
        assert res.status_code == 200, res.json
        return claim_id

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


def user_id(app, username: str) -> int:
    from approvals.organisations.models import User

    with app.app_context():
        return db.session.scalar(db.select(User.id).filter_by(username=username))


def delegate(
    app, api, principal: str, substitute: str, *, starts_on=None, ends_on=None, reason: str = "出差"
) -> dict:
    """`principal` names `substitute` through the API (from today until today by default)."""
    from approvals.clock import local_today

    with app.app_context():
        today = local_today()
    res = api(principal).post(
        "/api/v1/delegations",
        json={
            "substitute_id": user_id(app, substitute),
            "starts_on": (starts_on or today).isoformat(),
            "ends_on": (ends_on or starts_on or today).isoformat(),
            "reason": reason,
        },
    )
    assert res.status_code == 201, res.json
    return res.json
