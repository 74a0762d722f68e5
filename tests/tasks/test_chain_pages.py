"""A sign-off chain on the claim page: the case officer's form asks for the amount beside the
opinion (declared once, as the transition forms ask for it), the later steps sign what it
shows; each step is listed with its signer, position and date. And the 委派 page: naming a
substitute, seeing it listed on both sides, revoking it."""

from __future__ import annotations

import re

from approvals.clock import local_today
from tests.tasks.conftest import user_id
from tests.web.conftest import text

FORM = re.compile(r'action="/claims/(\d+)/tasks/(\d+)/decision"')


def _form(page: str) -> tuple[int, int, str]:
    """(task id, version, the form's html) of the one decision form on the page."""
    [(_, task_id)] = FORM.findall(page)
    form = page.split(f"/tasks/{task_id}/decision", 1)[1].split("</form>", 1)[0]
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    return int(task_id), int(version), form


def _decide(client, claim_id: int, **fields):
    task_id, version, _ = _form(text(client.get(f"/claims/{claim_id}")))
    body = {"decision": "agree", "opinion": "同意", "version": version, **fields}
    return client.post(f"/claims/{claim_id}/tasks/{task_id}/decision", body)


def _state(api, claim_id: int) -> str:
    return api("admin").claim(claim_id).json["state"]


def test_the_case_officer_prepares_the_amount_and_the_chief_signs_it(web, api, file_chain):
    claim_id = file_chain(threshold=None, requested="80000.00")
    officer = web("jmj_officer")
    task_id, _, form = _form(text(officer.get(f"/claims/{claim_id}")))
    assert "核定金额（元）" in form and f'id="task-{task_id}-approved_amount"' in form
    assert 'value="80000.00"' in form  # prefilled as the transition form prefills it
    assert "市经贸局经办意见" in form

    res = _decide(officer, claim_id, approved_amount="abc")
    assert res.status_code == 422 and "金额" in text(res)
    assert _state(api, claim_id) == "dept_review"
    res = _decide(officer, claim_id, approved_amount="75000", opinion="拟核定7.5万元")
    assert res.status_code == 302, text(res)

    chief = web("jmj_chief")
    page = text(chief.get(f"/claims/{claim_id}"))
    _, _, form = _form(page)
    assert "approved_amount" not in form  # the chief signs what was prepared
    assert "75,000.00" in page and "拟核定7.5万元" in page
    first = page.split(f'id="task-{task_id}"', 1)[1].split("</tr>", 1)[0]
    assert "经办" in first and "张经办" in first and "经办人" in first
    assert _decide(chief, claim_id, opinion="经审核，同意").status_code == 302
    assert api("admin").claim(claim_id).json["approved_amount"] == "75000.00"

    # The timeline names each signature by its step, and the amount the first one prepared.
    timeline = text(web("ent_huadong").get(f"/claims/{claim_id}")).split("办理记录", 1)[1]
    assert "经办：同意" in timeline and "审核：同意" in timeline
    assert "核定金额（元）：75,000.00" in timeline


def test_an_official_names_and_revokes_a_substitute_on_the_delegation_page(
    seeded, web, chain_officials
):
    principal = web("jmj_chief")
    page = text(principal.get("/delegations"))
    assert "赵科长" in page and "张经办" in page  # reviewers, of any department
    assert "财政局企业科" not in page  # another role
    res = principal.post("/delegations", {"substitute": "", "reason": ""})
    assert res.status_code == 422
    assert "请选择受委派人" in text(res) and "请填写委派原因" in text(res)

    substitute = user_id(seeded, "kjj_chief")
    with seeded.app_context():
        day = local_today().isoformat()
    res = principal.post(
        "/delegations",
        {"substitute": str(substitute), "starts_on": day, "ends_on": day, "reason": "出差"},
    )
    assert res.status_code == 302, text(res)
    page = text(principal.get(res.headers["Location"]))
    assert "已委派 赵科长 代为办理审核任务。" in page
    given = page.split('id="delegations-given"', 1)[1].split("</table>", 1)[0]
    assert "赵科长" in given and "出差" in given and "生效中" in given
    received = text(web("kjj_chief").get("/delegations")).split('id="delegations-received"', 1)[1]
    assert "李科长" in received.split("</table>", 1)[0]

    [delegation_id] = re.findall(r'action="/delegations/(\d+)/revoke"', page)
    res = principal.post(f"/delegations/{delegation_id}/revoke")
    assert res.status_code == 302
    page = text(principal.get("/delegations"))
    assert "已撤销该委派。" in page and "已撤销" in page
    assert not re.findall(r'action="/delegations/(\d+)/revoke"', page)
    assert web("ent_huadong").get("/delegations").status_code == 403
