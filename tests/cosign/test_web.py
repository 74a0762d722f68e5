"""会同 on the pages: finance asks the department to co-sign from the claim page; the
department's reviewer finds the task on its queue (待办审核任务) and decides it on the claim
page; finance then reads the department's opinion (who, in which position, when, agree or
not, and why) beside its own decision. While the co-sign is pending finance is offered no
decision; a reviewer of another department neither sees the claim nor decides its task."""

from __future__ import annotations

import re

from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.workflow.models import ReviewTask
from tests.cosign.conftest import ASK, COSIGNER, COSIGNER_NAME, OTHER_DEPARTMENT
from tests.web.conftest import text

VERSION = re.compile(r'name="version" value="(\d+)"')
TASK_FORM = re.compile(r'action="/claims/(\d+)/tasks/(\d+)/decision"')


def _page(client, claim_id: int, status: int = 200) -> str:
    res = client.get(f"/claims/{claim_id}")
    assert res.status_code == status, res.status_code
    return text(res)


def _act(client, claim_id: int, trigger: str, **fields):
    """Take `trigger` with the decision form as the page gives it."""
    page = _page(client, claim_id)
    form = page.split('class="action decision"', 1)[1].split("</form>", 1)[0]
    version = VERSION.search(form).group(1)
    return client.act(claim_id, trigger, int(version), **fields)


def _decide_task(client, claim_id: int, decision: str, opinion: str):
    page = _page(client, claim_id)
    [(_, task_id)] = TASK_FORM.findall(page)
    form = page.split(f"/tasks/{task_id}/decision", 1)[1].split("</form>", 1)[0]
    version = VERSION.search(form).group(1)
    body = {"decision": decision, "opinion": opinion, "version": version}
    return client.post(f"/claims/{claim_id}/tasks/{task_id}/decision", body)


def _task_row(page: str) -> str:
    section = page.split('id="review-tasks"', 1)[1].split("</section>", 1)[0]
    return section.split('<tr id="task-', 1)[1].split("</tr>", 1)[0]


def _ask(web, claim_id: int):
    finance = web("finance")
    assert 'value="request_cosign"' in _page(finance, claim_id)
    res = _act(finance, claim_id, "request_cosign")  # finance must say what it asks
    assert res.status_code == 422, text(res)
    res = _act(finance, claim_id, "request_cosign", comment=ASK)
    assert res.status_code == 302, text(res)
    return finance


def test_the_department_co_signs_from_its_queue_and_finance_decides_with_its_opinion(
    seeded, web, api, at_finance
):
    claim_id = at_finance()
    finance = _ask(web, claim_id)
    page = _page(finance, claim_id)
    assert "待部门会签" in page
    for trigger in ("finance_approve", "finance_send_back", "finance_reject", "request_cosign"):
        assert f'value="{trigger}"' not in page, trigger  # nothing to decide while pending

    cosigner = web(COSIGNER)
    queue = text(cosigner.get("/queue"))
    section = queue.split('id="review-tasks"', 1)[1].split("</section>", 1)[0]
    assert "待部门会签" in section and f"/claims/{claim_id}#task-" in section
    page = _page(cosigner, claim_id)
    assert ASK in page  # what finance asks, in the claim's history
    res = _decide_task(cosigner, claim_id, "agree", "投资额核定依据充分，同意")
    assert res.status_code == 302, text(res)

    page = _page(finance, claim_id)
    row = _task_row(page)
    with seeded.app_context():
        task = db.session.scalar(db.select(ReviewTask).filter_by(claim_id=claim_id))
        decided_on = task.decided_at.astimezone(LOCAL).strftime("%Y-%m-%d")
    for shown in ("市经贸局", "同意", "投资额核定依据充分，同意", COSIGNER_NAME, "科室负责人"):
        assert shown in row, shown
    assert decided_on in row
    assert 'value="finance_approve"' in page
    res = _act(finance, claim_id, "finance_approve", comment="经会签，同意拨付")
    assert res.status_code == 302, text(res)
    assert api("admin").claim(claim_id).json["state"] == "approved"


def test_a_disagreement_comes_back_to_finance_which_sends_the_claim_back(web, api, at_finance):
    claim_id = at_finance()
    finance = _ask(web, claim_id)
    res = _decide_task(web(COSIGNER), claim_id, "disagree", "项目未按规划实施")
    assert res.status_code == 302, text(res)
    page = _page(finance, claim_id)
    row = _task_row(page)
    assert "不同意" in row and "项目未按规划实施" in row
    res = _act(finance, claim_id, "finance_send_back", comment="请按会签意见重新核定")
    assert res.status_code == 302, text(res)
    assert api("admin").claim(claim_id).json["state"] == "submitted"


def test_a_reviewer_of_another_department_cannot_co_sign(seeded, web, api, at_cosign):
    claim_id = at_cosign()
    [task] = api("admin").claim(claim_id).json["tasks"]
    other = web(OTHER_DEPARTMENT)
    _page(other, claim_id, status=404)
    queue = text(other.get("/queue"))
    assert f"/claims/{claim_id}#task-" not in queue
    body = {"decision": "agree", "opinion": "同意", "version": task["version"]}
    res = other.post(f"/claims/{claim_id}/tasks/{task['id']}/decision", body)
    assert res.status_code == 404
    assert api("admin").claim(claim_id).json["tasks"][0]["status"] == "open"


def test_finance_cannot_decide_while_the_co_sign_is_pending(web, api, at_cosign):
    claim_id = at_cosign()
    finance = web("finance")
    page = _page(finance, claim_id)  # it still sees the claim, and the task it waits for
    assert 'class="action decision"' not in page and "待部门会签" in page
    assert "待办理" in _task_row(page)
    version = api("admin").claim(claim_id).json["version"]
    res = finance.act(claim_id, "finance_approve", version, comment="同意")  # a forged post
    assert res.status_code == 409, res.status_code
    assert "申报当前状态为“待部门会签”，不能执行该操作" in text(res)
    assert api("admin").claim(claim_id).json["state"] == "finance_cosign"
