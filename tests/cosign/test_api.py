"""会同 through the API: finance's re-review asks the claim's department to co-sign; the
department's reviewer decides the co-sign task (agree, or disagree with its opinion) and
the claim comes back to finance, which then decides; the 会签意见单 names the department and
its opinion. Nobody else decides the task, and finance cannot decide while it is pending."""

from __future__ import annotations

from sqlalchemy import select

from approvals.claims.models import ClaimEvent
from approvals.extensions import db
from tests.cosign.conftest import ASK, COSIGNER, COSIGNER_NAME, OTHER_DEPARTMENT
from tests.platform.conftest import notices_of
from tests.tasks.conftest import decide, stored_tasks, task_of


def _events(app, claim_id: int) -> list[tuple[str, str, str, str]]:
    """(trigger, from, to, comment) of every event of the claim, task decisions too."""
    with app.app_context():
        events = db.session.scalars(
            select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).order_by(ClaimEvent.id)
        )
        return [(e.trigger, e.from_state, e.to_state, e.comment or "") for e in events]


def _cosign(api, claim_id: int, decision: str, opinion: str | None):
    """The department's co-sign, decided by its section chief from its work list."""
    cosigner = api(COSIGNER)
    return decide(cosigner, task_of(cosigner, claim_id), decision, opinion)


def test_finance_asks_the_department_to_co_sign_and_approves_once_it_agrees(
    seeded, api, at_finance
):
    claim_id = at_finance()
    finance = api("finance")
    assert "request_cosign" in finance.claim(claim_id).json["available_triggers"]
    # Finance says what it asks the department.
    res = finance.fire(claim_id, "request_cosign")
    assert res.status_code == 422 and "comment" in res.json["error"]["fields"], res.json
    res = finance.fire(claim_id, "request_cosign", comment=ASK)
    assert res.status_code == 200 and res.json["state"] == "finance_cosign", res.json
    # One task, for the claim's own department; finance keeps seeing the claim, offered nothing.
    assert stored_tasks(seeded, claim_id) == [(1, "JMJ", "open", None)]
    assert finance.claim(claim_id).json["available_triggers"] == []
    assert task_of(finance, claim_id) is None

    cosigner = api(COSIGNER)
    task = task_of(cosigner, claim_id)
    assert (task["state"], task["department"]) == ("finance_cosign", "JMJ")
    res = decide(cosigner, task, "agree", "投资额核定依据充分，同意")
    assert res.status_code == 200 and res.json["decision"] == "agree", res.json

    claim = finance.claim(claim_id).json
    assert claim["state"] == "finance_review"
    assert "finance_approve" in claim["available_triggers"]
    [shown] = [t for t in claim["tasks"] if t["state"] == "finance_cosign"]
    assert (shown["decision"], shown["opinion"], shown["decided_by"]["name"]) == (
        "agree",
        "投资额核定依据充分，同意",
        COSIGNER_NAME,
    )
    # Audited as task decisions are: the decision, then the move it fired with its opinion.
    assert _events(seeded, claim_id)[-3:] == [
        ("request_cosign", "finance_review", "finance_cosign", ASK),
        ("task_decision", "finance_cosign", "finance_cosign", "投资额核定依据充分，同意"),
        (
            "cosign_agree",
            "finance_cosign",
            "finance_review",
            f"会签意见：市经贸局（{COSIGNER_NAME}）同意：投资额核定依据充分，同意",
        ),
    ]
    kind, text = notices_of(seeded, claim_id)[-1]
    assert kind == "countersign"
    for expected in (
        "示范市经济贸易局文件",  # in the department's name
        "会签意见单",
        "示范市财政局：",  # to finance, which asked
        "经我局审核，会签意见如下。",
        "会签意见：同意。投资额核定依据充分，同意",
        f"签署人：{COSIGNER_NAME}",
    ):
        assert expected in text, expected

    res = finance.fire(claim_id, "finance_approve", comment="经会签，同意拨付")
    assert res.status_code == 200 and res.json["state"] == "approved", res.json


def test_a_disagreeing_department_sends_the_claim_back_to_finance_which_sends_it_back(
    seeded, api, at_cosign
):
    claim_id = at_cosign()
    cosigner = api(COSIGNER)
    task = task_of(cosigner, claim_id)
    # Disagreeing needs its reason.
    res = decide(cosigner, task, "disagree", None)
    assert res.status_code == 422 and "opinion" in res.json["error"]["fields"], res.json
    res = decide(cosigner, task, "disagree", "项目未按规划实施，不同意按核定金额拨付")
    assert res.status_code == 200, res.json
    finance = api("finance")
    claim = finance.claim(claim_id).json
    assert claim["state"] == "finance_review"
    assert claim["history"][-1]["trigger"] == "cosign_disagree"
    kind, text = notices_of(seeded, claim_id)[-1]
    assert kind == "countersign"
    assert "示范市经济贸易局文件" in text
    assert "会签意见：不同意。项目未按规划实施，不同意按核定金额拨付" in text
    res = finance.fire(claim_id, "finance_send_back", comment="请经贸局按会签意见重新核定")
    assert res.status_code == 200 and res.json["state"] == "submitted", res.json


def test_after_a_disagreement_finance_may_reject(api, at_cosign):
    claim_id = at_cosign()
    assert _cosign(api, claim_id, "disagree", "不符合条件").status_code == 200
    res = api("finance").fire(claim_id, "finance_reject", comment="经会签，不予支持")
    assert res.status_code == 200 and res.json["state"] == "rejected", res.json


def test_a_reviewer_of_another_department_cannot_co_sign(seeded, api, at_cosign):
    claim_id = at_cosign()
    [(task_id, version)] = [
        (t["id"], t["version"]) for t in api("admin").claim(claim_id).json["tasks"]
    ]
    other = api(OTHER_DEPARTMENT)
    assert task_of(other, claim_id) is None
    assert other.claim(claim_id).status_code == 404
    res = decide(other, {"id": task_id, "version": version}, "agree", "同意")
    assert res.status_code == 403, res.json
    refused = {"code": "forbidden", "message": "该审核任务不属于本部门", "fields": {}}
    assert res.json["error"] == refused
    # Nor may the department take the moves its task fires by hand.
    res = api(COSIGNER).fire(claim_id, "cosign_agree", comment="同意")
    assert res.status_code == 409 and res.json["error"]["code"] == "decided_by_tasks", res.json
    assert stored_tasks(seeded, claim_id) == [(1, "JMJ", "open", None)]


def test_finance_cannot_decide_while_the_co_sign_is_pending(api, at_cosign):
    claim_id = at_cosign()
    finance = api("finance")
    for trigger in ("finance_approve", "finance_send_back", "finance_reject", "request_cosign"):
        res = finance.fire(claim_id, trigger, comment="同意")
        assert res.status_code == 409, (trigger, res.json)
        assert res.json["error"] == {
            "code": "illegal_transition",
            "message": "申报当前状态为“待部门会签”，不能执行该操作",
            "fields": {},
        }
    assert finance.claim(claim_id).json["state"] == "finance_cosign"


def test_finance_may_ask_again_and_a_new_round_opens(seeded, api, at_cosign):
    claim_id = at_cosign()
    assert _cosign(api, claim_id, "disagree", "依据不足").status_code == 200
    res = api("finance").fire(claim_id, "request_cosign", comment="补充依据后请再次会签")
    assert res.status_code == 200, res.json
    assert stored_tasks(seeded, claim_id) == [
        (1, "JMJ", "done", "disagree"),
        (2, "JMJ", "open", None),
    ]
    assert _cosign(api, claim_id, "agree", "同意").status_code == 200
    assert api("finance").claim(claim_id).json["state"] == "finance_review"
