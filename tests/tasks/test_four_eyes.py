"""Four-eyes (双人把关): nobody decides two tasks of one claim at different (state, step), be
it two steps of a chain or two stages, as themselves or as a substitute; the refused task is
out of their work list and says why on the claim page instead of offering a form."""

from __future__ import annotations

import re

from tests.tasks.conftest import decide, delegate, set_position, task_of
from tests.web.conftest import text

FORM = re.compile(r'action="/claims/(\d+)/tasks/(\d+)/decision"')
SIGNED_FIRST = "您已办理该申报的“市经贸局经办”：同一申报的不同环节须由不同的人办理（双人把关）"


def _sign(api, username: str, claim_id: int, decision="agree", opinion="同意", **prepared):
    client = api(username)
    res = decide(client, task_of(client, claim_id), decision, opinion, **prepared)
    assert res.status_code == 200, res.json
    return res.json


def _open(api, claim_id: int, state: str, department: str) -> dict:
    """The claim's open task of `department` in `state`, as the claim lists it."""
    [task] = [
        t
        for t in api("admin").claim(claim_id).json["tasks"]
        if (t["state"], t["department"], t["status"]) == (state, department, "open")
    ]
    return task


def test_the_same_person_never_signs_two_steps_of_a_chain(seeded, api, file_chain):
    claim_id = file_chain()
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    with seeded.app_context():
        set_position("jmj_officer", "section_chief")  # promoted while the claim waits
    second = _open(api, claim_id, "dept_review", "JMJ")
    res = decide(api("jmj_officer"), second)
    assert (res.status_code, res.json["error"]["message"]) == (403, SIGNED_FIRST)
    assert task_of(api("jmj_officer"), claim_id) is None  # not offered in the work list
    assert task_of(api("jmj_chief"), claim_id)["id"] == second["id"]
    assert decide(api("jmj_chief"), second).status_code == 200


def test_the_same_person_never_decides_at_two_stages(seeded, api, web, file_chain):
    claim_id = file_chain(threshold=None)
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    _sign(api, "jmj_chief", claim_id)
    joint = _open(api, claim_id, "joint_review", "JMJ")  # 经贸局's part of the joint review
    for username, stage in (("jmj_officer", "经办"), ("jmj_chief", "审核")):
        res = decide(api(username), joint)
        assert res.status_code == 403
        assert res.json["error"]["message"] == (
            f"您已办理该申报的“市经贸局{stage}”：同一申报的不同环节须由不同的人办理（双人把关）"
        )
        assert task_of(api(username), claim_id) is None
    # On the claim page the task says why instead of offering a form.
    page = text(web("jmj_officer").get(f"/claims/{claim_id}"))
    assert f'id="task-{joint["id"]}-refused"' in page and SIGNED_FIRST in page
    assert not FORM.search(page)
    res = web("jmj_officer").post(
        f"/claims/{claim_id}/tasks/{joint['id']}/decision",
        {"decision": "agree", "opinion": "同意", "version": joint["version"]},
    )
    assert res.status_code == 403 and SIGNED_FIRST in text(res)
    # A colleague who signed nothing on the claim decides it.
    assert task_of(api("reviewer_jmj"), claim_id)["id"] == joint["id"]
    assert decide(api("reviewer_jmj"), joint).status_code == 200


def test_a_substitute_may_not_decide_where_its_principal_signed_another_stage(
    seeded, api, file_chain
):
    claim_id = file_chain(threshold=None)
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    _sign(api, "jmj_chief", claim_id)
    delegate(seeded, api, "jmj_officer", "kjj_chief")
    joint = _open(api, claim_id, "joint_review", "JMJ")
    res = decide(api("kjj_chief"), joint)
    assert res.status_code == 403
    assert res.json["error"]["message"] == (
        "张经办已办理该申报的“市经贸局经办”：同一申报的不同环节须由不同的人办理（双人把关）"
    )
    assert task_of(api("kjj_chief"), claim_id) is None


def test_a_principal_may_not_decide_where_its_substitute_signed_for_it(seeded, api, file_chain):
    claim_id = file_chain(threshold=None)
    delegate(seeded, api, "jmj_chief", "kjj_chief")
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    signed = _sign(api, "kjj_chief", claim_id)  # 审核, for 李科长
    assert signed["on_behalf_of"]["name"] == "李科长"
    joint = _open(api, claim_id, "joint_review", "JMJ")
    res = decide(api("jmj_chief"), joint)
    assert res.status_code == 403
    assert res.json["error"]["message"] == (
        "您已办理该申报的“市经贸局审核”：同一申报的不同环节须由不同的人办理（双人把关）"
    )
    # Nor may the substitute go on for them at the next stage.
    assert decide(api("kjj_chief"), joint).status_code == 403
