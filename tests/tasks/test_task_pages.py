"""Review tasks on the claim page and in the claim's JSON: each department of a joint review
sees the claim and decides its task there; the last agreement moves the claim; a refused
decision keeps what was typed; a department with no task on the claim does not see it."""

from __future__ import annotations

import re

from approvals.extensions import db
from tests.tasks.conftest import REVIEWERS, decide_as
from tests.web.conftest import text

FORM = re.compile(r'action="/claims/(\d+)/tasks/(\d+)/decision"')


def _page(client, claim_id: int):
    res = client.get(f"/claims/{claim_id}")
    assert res.status_code == 200, res.status_code
    return text(res)


def _task_form(page: str) -> tuple[int, int]:
    """(task id, version) of the one decision form on the page."""
    [(_, task_id)] = FORM.findall(page)
    form = page.split(f"/tasks/{task_id}/decision", 1)[1].split("</form>", 1)[0]
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    return int(task_id), int(version)


def _post(client, claim_id: int, task_id: int, version: int, decision: str, opinion: str = ""):
    body = {"decision": decision, "opinion": opinion, "version": version}
    return client.post(f"/claims/{claim_id}/tasks/{task_id}/decision", body)


def _decide_on_page(web, username: str, claim_id: int, decision="agree", opinion="同意"):
    client = web(username)
    task_id, version = _task_form(_page(client, claim_id))
    return client, _post(client, claim_id, task_id, version, decision, opinion)


def _state(api, claim_id: int) -> str:
    return api("admin").claim(claim_id).json["state"]


def test_each_joint_department_decides_its_task_from_the_claim_page(web, api, file_joint):
    claim_id = file_joint()
    for number, username in enumerate(REVIEWERS.values(), start=1):
        client, res = _decide_on_page(web, username, claim_id, opinion=f"意见{number}：符合条件")
        assert res.status_code == 302, text(res)
        assert res.headers["Location"].endswith(f"/claims/{claim_id}")
        page = text(client.get(res.headers["Location"]))
        assert "已办理该审核任务。" in page
        assert f"意见{number}：符合条件" in page
        # Its task is decided: no form for it any more.
        assert not FORM.search(page)
        if number < len(REVIEWERS):
            assert _state(api, claim_id) == "joint_review"
    # The last agreement moved the claim to finance, who reads the round's opinions.
    assert _state(api, claim_id) == "finance_review"
    page = _page(web("finance"), claim_id)
    for number, name in enumerate(("市经贸局初审", "市招商局初审", "市财政局初审"), start=1):
        assert f"意见{number}：符合条件" in page and name in page
    assert not FORM.search(page)


def test_a_disagreement_without_an_opinion_is_shown_again_with_the_message(web, api, file_joint):
    claim_id = file_joint()
    client = web("reviewer_zsj")
    task_id, version = _task_form(_page(client, claim_id))
    res = _post(client, claim_id, task_id, version, "disagree", "   ")
    assert res.status_code == 422
    page = text(res)
    assert "不同意或退回时请填写理由" in page
    assert FORM.findall(page) == [(str(claim_id), str(task_id))]  # the same form, to retry
    assert f'<input checked id="task-{task_id}-disagree"' in page  # what was chosen, kept
    assert _state(api, claim_id) == "joint_review"
    # Nothing chosen at all: said on the same form, what was typed kept.
    res = _post(client, claim_id, task_id, version, "", "材料不全")
    assert res.status_code == 422 and "请选择审核意见" in text(res) and "材料不全" in text(res)
    # With its reason, the disagreement returns the claim to the enterprise.
    res = _post(client, claim_id, task_id, version, "disagree", "投资额未达到条款要求")
    assert res.status_code == 302
    assert _state(api, claim_id) == "returned"


def test_a_decision_posted_after_the_claim_moved_on_keeps_the_opinion(web, api, file_joint):
    claim_id = file_joint()
    late = web("reviewer_czj")
    task_id, version = _task_form(_page(late, claim_id))
    assert decide_as(api, "reviewer_jmj", claim_id, "return", "请补充投资协议").status_code == 200
    res = _post(late, claim_id, task_id, version, "agree", "财政局：同意列入")
    assert res.status_code == 409
    page = text(res)
    assert "申报已离开该审核环节" in page
    assert "财政局：同意列入" in page and 'id="unsent-task-opinion"' in page
    assert not FORM.search(page)


def test_an_uninvolved_departments_reviewer_gets_404(web, api, file_joint):
    claim_id = file_joint()
    with_task = _page(web("reviewer_zsj"), claim_id)
    task_id, version = _task_form(with_task)
    outsider = web("reviewer_kjj")
    assert outsider.get(f"/claims/{claim_id}").status_code == 404
    assert api("reviewer_kjj").claim(claim_id).status_code == 404
    assert _post(outsider, claim_id, task_id, version, "agree", "同意").status_code == 404


def test_whoever_else_sees_the_claim_reads_the_tasks_but_may_not_decide_them(web, api, file_joint):
    claim_id = file_joint()
    owner = web("ent_huadong")
    page = _page(owner, claim_id)
    assert 'id="review-tasks"' in page and "市招商局" in page and not FORM.search(page)
    task_id = api("admin").claim(claim_id).json["tasks"][1]["id"]
    res = _post(owner, claim_id, task_id, 1, "agree", "同意")
    assert res.status_code == 403 and "不能办理该审核任务" in text(res)
    # 经贸局's reviewer may not decide 招商局's task, though it sees the claim.
    res = _post(web("reviewer_jmj"), claim_id, task_id, 1, "agree", "同意")
    assert res.status_code == 403 and "该审核任务不属于本部门" in text(res)


def test_another_departments_reviewer_sees_the_claim_once_its_department_has_a_task(
    seeded, web, api, submitted_claim
):
    """A 经贸局 claim on the shipped track: 招商局's reviewer sees it only from the moment
    a 招商局 task exists on it, and may still take none of 经贸局's moves."""
    from approvals.organisations.models import Department
    from approvals.workflow.models import ReviewTask

    reviewer, page = api("reviewer_zsj"), web("reviewer_zsj")
    assert reviewer.claim(submitted_claim).status_code == 404
    assert page.get(f"/claims/{submitted_claim}").status_code == 404
    with seeded.app_context():
        zsj = db.session.scalar(db.select(Department).filter_by(code="ZSJ"))
        db.session.add(
            ReviewTask(
                claim_id=submitted_claim,
                state="submitted",
                round=1,
                department_id=zsj.id,
                role="reviewer",
            )
        )
        db.session.commit()
    res = reviewer.claim(submitted_claim)
    assert res.status_code == 200 and res.json["available_triggers"] == []
    assert page.get(f"/claims/{submitted_claim}").status_code == 200
    res = reviewer.fire(submitted_claim, "dept_approve", approved_amount="1000.00", comment="同意")
    assert res.status_code == 403
    assert res.json["error"]["message"] == "该申报不属于本部门初审"


def test_the_claims_json_lists_its_tasks_with_their_decisions_and_signers(api, file_joint):
    claim_id = file_joint()
    assert decide_as(api, "reviewer_jmj", claim_id, "agree", "符合条件").status_code == 200
    assert decide_as(api, "reviewer_zsj", claim_id, "disagree", "投资额不足").status_code == 200

    # Each department that holds a task reads the claim and its tasks.
    for username in REVIEWERS.values():
        assert api(username).claim(claim_id).status_code == 200
    tasks = api("ent_huadong").claim(claim_id).json["tasks"]
    assert [
        (t["department"], t["round"], t["state"], t["status"], t["decision"], t["opinion"])
        for t in tasks
    ] == [
        ("JMJ", 1, "joint_review", "done", "agree", "符合条件"),
        ("ZSJ", 1, "joint_review", "done", "disagree", "投资额不足"),
        ("CZJ", 1, "joint_review", "open", None, None),
    ]
    jmj, zsj, czj = tasks
    assert set(jmj) == {
        "id",
        "state",
        "round",
        "department",
        "role",
        "step",
        "step_label",
        "prepared",
        "assignee",
        "status",
        "decision",
        "opinion",
        "decided_by",
        "on_behalf_of",
        "decided_at",
        "version",
    }
    assert jmj["decided_by"]["name"] == "市经贸局初审" and jmj["decided_at"]
    assert zsj["decided_by"]["name"] == "市招商局初审" and zsj["role"] == "reviewer"
    assert czj["decided_by"] is None and czj["decided_at"] is None and czj["assignee"] is None
    # Outside a sign-off chain: no step, nothing prepared, nobody substituted for.
    assert (jmj["step"], jmj["step_label"], jmj["prepared"], jmj["on_behalf_of"]) == (
        "",
        "",
        None,
        None,
    )
