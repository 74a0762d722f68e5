"""Taking and deciding a review task: who may (the task rule, with its reason), the version,
the reason a disagreement gives, and a decided task kept as the record."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from approvals.audit.append_only import AppendOnlyViolation
from approvals.extensions import db
from approvals.workflow.models import ReviewTask
from tests.tasks.conftest import decide, decide_as, task_of


def _jmj_task(api, claim_id: int) -> dict:
    return task_of(api("reviewer_jmj"), claim_id)


def _error(res) -> tuple[int, str]:
    return res.status_code, res.json["error"]["code"]


def test_a_reviewer_of_another_department_cannot_decide(api, file_joint):
    claim_id = file_joint()
    task = _jmj_task(api, claim_id)
    res = decide(api("reviewer_zsj"), task)
    assert _error(res) == (403, "forbidden")
    assert res.json["error"]["message"] == "该审核任务不属于本部门"
    assert _error(api("reviewer_kjj").post(f"/api/v1/tasks/{task['id']}/claim")) == (
        403,
        "forbidden",
    )
    assert task_of(api("reviewer_jmj"), claim_id)["status"] == "open"


@pytest.mark.parametrize(
    ("username", "status", "message"),
    [
        ("finance", 403, "当前角色（财政复核）不能办理该审核任务"),  # of 财政局, not its reviewer
        ("ent_huadong", 403, "当前角色（申报企业）不能办理该审核任务"),  # the claim's own
        ("ent_jiangnan", 404, "审核任务不存在或无权查看"),  # learns nothing of others' claims
        ("admin", 403, "当前角色（系统管理员）不能办理该审核任务"),
    ],
)
def test_only_the_tasks_role_may_decide_it(api, file_joint, username, status, message):
    claim_id = file_joint()
    task = task_of(api("reviewer_czj"), claim_id)
    res = decide(api(username), task)
    assert (res.status_code, res.json["error"]["message"]) == (status, message)


def test_an_unknown_task_is_not_found(api, file_joint):
    file_joint()
    res = decide(api("reviewer_jmj"), {"id": 999999, "version": 1})
    assert _error(res) == (404, "not_found")


def test_a_stale_version_is_refused(api, file_joint):
    claim_id = file_joint()
    reviewer = api("reviewer_jmj")
    task = _jmj_task(api, claim_id)
    assert reviewer.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200
    res = decide(reviewer, task)  # the version read before it was taken
    assert _error(res) == (409, "stale_version")
    assert decide(reviewer, _jmj_task(api, claim_id)).status_code == 200


def test_a_task_taken_by_one_reviewer_is_theirs_alone(api, file_joint, make_reviewer):
    claim_id = file_joint()
    colleague = api(make_reviewer("reviewer_jmj_2", "JMJ"))
    reviewer = api("reviewer_jmj")
    task = _jmj_task(api, claim_id)
    res = reviewer.post(f"/api/v1/tasks/{task['id']}/claim")
    assert res.status_code == 200
    assert (res.json["status"], res.json["assignee"]["name"]) == ("claimed", "市经贸局初审")
    again = reviewer.post(f"/api/v1/tasks/{task['id']}/claim")
    assert again.status_code == 200 and again.json["version"] == res.json["version"]

    held = task_of(colleague, claim_id)  # still in the department's list, with its holder
    assert held["assignee"]["name"] == "市经贸局初审"
    assert task_of(colleague, claim_id, "claimed")["id"] == task["id"]
    for attempt in (colleague.post(f"/api/v1/tasks/{task['id']}/claim"), decide(colleague, held)):
        assert _error(attempt) == (409, "task_claimed")
        assert attempt.json["error"]["message"] == "该审核任务已由市经贸局初审认领"
    assert decide(reviewer, held).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "disagree"}, "opinion"),
        ({"decision": "return", "opinion": "   "}, "opinion"),
        ({"decision": "approve", "opinion": "同意"}, "decision"),
        ({"decision": "agree", "opinion": "意" * 2001}, "opinion"),
        ({"decision": "agree", "opinion": 5}, "opinion"),
    ],
)
def test_a_decision_the_task_cannot_take_is_named_field_by_field(api, file_joint, body, field):
    claim_id = file_joint()
    task = _jmj_task(api, claim_id)
    res = api("reviewer_jmj").post(
        f"/api/v1/tasks/{task['id']}/decision", json={**body, "version": task["version"]}
    )
    assert _error(res) == (422, "invalid") and field in res.json["error"]["fields"]
    assert _jmj_task(api, claim_id)["status"] == "open"


def test_a_decision_without_a_version_is_refused(api, file_joint):
    claim_id = file_joint()
    task = _jmj_task(api, claim_id)
    res = api("reviewer_jmj").post(
        f"/api/v1/tasks/{task['id']}/decision", json={"decision": "agree"}
    )
    assert _error(res) == (422, "invalid") and "version" in res.json["error"]["fields"]


def test_a_decided_task_is_listed_as_done_and_cannot_be_decided_again(api, file_joint):
    claim_id = file_joint()
    reviewer = api("reviewer_jmj")
    decided = decide_as(api, "reviewer_jmj", claim_id, opinion="符合条件").json
    assert task_of(reviewer, claim_id) is None
    done = task_of(reviewer, claim_id, "done")
    assert (done["decision"], done["opinion"]) == ("agree", "符合条件")
    res = decide(reviewer, decided)
    assert _error(res) == (409, "task_done")
    assert _error(reviewer.get("/api/v1/tasks?status=later")) == (422, "invalid")


def test_a_decided_task_is_never_changed(seeded, api, file_joint):
    claim_id = file_joint()
    decide_as(api, "reviewer_jmj", claim_id, "agree", "符合条件")
    with seeded.app_context():
        task = db.session.scalar(db.select(ReviewTask).filter_by(claim_id=claim_id, status="done"))
        task.opinion = "改过的意见"
        with pytest.raises(AppendOnlyViolation, match="append-only once decided: update"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.get(ReviewTask, task.id))
        with pytest.raises(AppendOnlyViolation, match="append-only once decided: delete"):
            db.session.flush()
        db.session.rollback()
        for statement in (
            "UPDATE review_tasks SET opinion = 'x' WHERE status = 'done'",
            "DELETE FROM review_tasks WHERE status = 'done'",
        ):
            with pytest.raises(DBAPIError, match="review_tasks is append-only once decided"):
                db.session.execute(text(statement))
            db.session.rollback()
        # An undecided task still changes as it is taken.
        db.session.execute(text("UPDATE review_tasks SET version = version WHERE status = 'open'"))
        db.session.rollback()
        assert db.session.get(ReviewTask, task.id).opinion == "符合条件"
