"""Sign-off chains through the API: 经贸局's part signed 经办 → 审核 → 审批 (the last only above
the policy's threshold), each step by its position, the case officer's amount carried by the
move the last signature fires; a later step's return sends the chain back to a case officer."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from approvals.audit.check import AuditReport, check_claims
from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from tests.tasks.conftest import decide, task_of


def _claim(api, claim_id: int) -> dict:
    return api("admin").claim(claim_id).json


def _sign(api, username: str, claim_id: int, decision="agree", opinion="同意", **prepared):
    client = api(username)
    task = task_of(client, claim_id)
    assert task is not None, f"{username} has no open task of claim {claim_id}"
    res = decide(client, task, decision, opinion, **prepared)
    assert res.status_code == 200, res.json
    return res.json


def _chain(api, claim_id: int) -> list[tuple]:
    """(step, status, decision, signer) of the claim's 部门审核 tasks, in order."""
    return [
        (t["step"], t["status"], t["decision"], (t["decided_by"] or {}).get("name"))
        for t in _claim(api, claim_id)["tasks"]
        if t["state"] == "dept_review"
    ]


@dataclass(frozen=True)
class Event:
    id: int
    trigger: str
    from_state: str
    to_state: str
    actor: str  # username
    comment: str | None
    payload: dict
    snapshot: dict


def _events(app, claim_id: int) -> list[Event]:
    """The claim's audit events, in order, as plain values."""
    with app.app_context():
        rows = db.session.scalars(
            db.select(ClaimEvent).filter_by(claim_id=claim_id).order_by(ClaimEvent.id)
        )
        return [
            Event(
                e.id,
                e.trigger,
                e.from_state,
                e.to_state,
                e.actor.username,
                e.comment,
                e.payload,
                e.snapshot,
            )
            for e in rows
        ]


def test_above_the_threshold_the_case_officer_chief_and_leader_sign_in_turn(
    seeded, api, file_chain
):
    claim_id = file_chain(threshold="50000.00", requested="80000.00")
    first = task_of(api("jmj_officer"), claim_id)
    assert (first["step"], first["step_label"], first["department"]) == (
        "case_officer",
        "经办",
        "JMJ",
    )
    # Only the case officer's step is open: the chief and the leader have nothing yet.
    assert task_of(api("jmj_chief"), claim_id) is None
    assert task_of(api("jmj_leader"), claim_id) is None

    prepared = _sign(
        api, "jmj_officer", claim_id, opinion="材料齐全，拟核定8万元", approved_amount="80000"
    )
    assert prepared["prepared"] == {"approved_amount": "80000.00"}
    assert _claim(api, claim_id)["state"] == "dept_review"
    checked = _sign(api, "jmj_chief", claim_id, opinion="经审核，同意")
    assert (checked["step"], checked["prepared"]) == (
        "section_chief",
        {"approved_amount": "80000.00"},
    )
    assert _claim(api, claim_id)["state"] == "dept_review"  # 8万 > 5万: the leader signs too
    _sign(api, "jmj_leader", claim_id, opinion="同意")

    claim = _claim(api, claim_id)
    assert (claim["state"], claim["approved_amount"]) == ("joint_review", "80000.00")
    assert _chain(api, claim_id) == [
        ("case_officer", "done", "agree", "张经办"),
        ("section_chief", "done", "agree", "李科长"),
        ("leader", "done", "agree", "王局长"),
    ]
    *decisions, approve = [e for e in _events(seeded, claim_id) if e.trigger != "submit"]
    assert [e.trigger for e in decisions] == ["task_decision"] * 3
    assert approve.trigger == "dept_approve" and approve.actor == "jmj_leader"
    assert approve.payload["approved_amount"] == "80000.00"
    assert approve.comment == (
        "会签意见：市经贸局经办（经办人：张经办）同意：材料齐全，拟核定8万元；"
        "市经贸局审核（科室负责人：李科长）同意：经审核，同意；"
        "市经贸局审批（分管领导：王局长）同意：同意"
    )
    with seeded.app_context():
        report = AuditReport()
        check_claims(report, [claim_id])
        assert report.ok, report.breaks


@pytest.mark.parametrize(
    ("threshold", "amount"),
    [("50000.00", "30000.00"), ("50000.00", "50000.00"), (None, "90000.00")],
)
def test_at_or_below_the_threshold_or_without_one_two_signatures_suffice(
    api, file_chain, threshold, amount
):
    claim_id = file_chain(threshold=threshold, requested="90000.00")
    _sign(api, "jmj_officer", claim_id, approved_amount=amount)
    _sign(api, "jmj_chief", claim_id)
    claim = _claim(api, claim_id)
    assert (claim["state"], claim["approved_amount"]) == ("joint_review", amount)
    assert [step for step, *_ in _chain(api, claim_id)] == ["case_officer", "section_chief"]
    # The leader's list holds only the claim's next stage, the joint review 经贸局 takes part in.
    assert task_of(api("jmj_leader"), claim_id)["state"] == "joint_review"


def test_each_step_is_decided_only_by_its_position(api, file_chain):
    claim_id = file_chain()
    first = task_of(api("jmj_officer"), claim_id)
    for username, label in (
        ("jmj_chief", "经办人"),
        ("jmj_leader", "经办人"),
        ("chief_jmj", "经办人"),  # the demo department's own section chief
    ):
        res = decide(api(username), first, approved_amount="80000")
        assert res.status_code == 403
        assert res.json["error"]["message"] == f"该环节（经办）须由{label}办理"
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    second = task_of(api("jmj_chief"), claim_id)
    res = decide(api("jmj_leader"), second)
    assert (res.status_code, res.json["error"]["message"]) == (
        403,
        "该环节（审核）须由科室负责人办理",
    )
    # 科技局's section chief holds the position, in another department.
    res = decide(api("kjj_chief"), second)
    assert (res.status_code, res.json["error"]["message"]) == (403, "该审核任务不属于本部门")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({}, "approved_amount"),
        ({"approved_amount": "abc"}, "approved_amount"),
        ({"approved_amount": "90000.00"}, "不能超过申报金额"),  # the claim asks for 80000
        ({"approved_amount": "-5"}, "approved_amount"),
    ],
)
def test_the_case_officers_values_are_checked_by_their_declared_fields(
    api, file_chain, given, message
):
    claim_id = file_chain()
    officer = api("jmj_officer")
    res = decide(officer, task_of(officer, claim_id), **given)
    assert res.status_code == 422, res.json
    error = res.json["error"]
    assert "approved_amount" in error["fields"]
    assert message in error["fields"]["approved_amount"] or message == "approved_amount"
    assert task_of(officer, claim_id)["status"] == "open"


def test_a_later_step_signs_what_was_prepared_and_may_not_change_it(api, file_chain):
    claim_id = file_chain()
    _sign(api, "jmj_officer", claim_id, approved_amount="60000")
    chief = api("jmj_chief")
    res = decide(chief, task_of(chief, claim_id), approved_amount="70000")
    assert res.status_code == 422
    assert res.json["error"]["fields"] == {"approved_amount": "该环节不填写拟办事项，由经办人填写"}


def test_a_later_steps_return_sends_the_chain_back_to_a_case_officer(seeded, api, file_chain):
    claim_id = file_chain()
    _sign(api, "jmj_officer", claim_id, opinion="拟核定8万元", approved_amount="80000")
    _sign(api, "jmj_chief", claim_id, "return", "请按审计报告核减至7万元")
    claim = _claim(api, claim_id)
    assert claim["state"] == "dept_review"  # the chain goes back; the claim stays
    again = task_of(api("jmj_officer"), claim_id)
    assert (again["step"], again["round"], again["prepared"]) == ("case_officer", 1, None)
    # The same case officer prepares again, and the same chief signs: the same stages.
    _sign(api, "jmj_officer", claim_id, opinion="已核减", approved_amount="70000")
    _sign(api, "jmj_chief", claim_id, opinion="同意")
    _sign(api, "jmj_leader", claim_id)  # 7万 is still above 5万
    claim = _claim(api, claim_id)
    assert (claim["state"], claim["approved_amount"]) == ("joint_review", "70000.00")
    assert [(step, decision) for step, _, decision, _ in _chain(api, claim_id)] == [
        ("case_officer", "agree"),
        ("section_chief", "return"),
        ("case_officer", "agree"),
        ("section_chief", "agree"),
        ("leader", "agree"),
    ]
    [approve] = [e for e in _events(seeded, claim_id) if e.trigger == "dept_approve"]
    assert "审核（科室负责人：李科长）退回：请按审计报告核减至7万元" in approve.comment


def test_a_case_officers_return_sends_the_claim_back_to_the_enterprise(seeded, api, file_chain):
    claim_id = file_chain()
    _sign(api, "jmj_officer", claim_id, "return", "缺少审计报告")
    assert _claim(api, claim_id)["state"] == "returned"
    [back] = [e for e in _events(seeded, claim_id) if e.trigger == "dept_return"]
    assert back.comment == "会签意见：市经贸局经办（经办人：张经办）退回：缺少审计报告"
    with seeded.app_context():
        assert db.session.get(Claim, claim_id).approved_amount is None


def test_each_decision_is_an_event_before_the_move_it_fires(seeded, api, file_chain):
    claim_id = file_chain(threshold=None)
    officer = _sign(api, "jmj_officer", claim_id, opinion="拟同意", approved_amount="80000")
    chief = _sign(api, "jmj_chief", claim_id, opinion="经审核，同意")
    submit, prepared, signed, approve = _events(seeded, claim_id)
    assert (submit.trigger, approve.trigger) == ("submit", "dept_approve")
    for event, task, step in (
        (prepared, officer, "case_officer"),
        (signed, chief, "section_chief"),
    ):
        assert (event.trigger, event.from_state, event.to_state) == (
            "task_decision",
            "dept_review",
            "dept_review",
        )
        assert event.payload["task_id"] == task["id"]
        assert (event.payload["step"], event.payload["department"]) == (step, "JMJ")
        assert (event.payload["decision"], event.payload["on_behalf_of"]) == ("agree", None)
        assert event.payload["prepared"] == {"approved_amount": "80000.00"}
    assert (prepared.comment, signed.comment) == ("拟同意", "经审核，同意")
    assert prepared.actor == "jmj_officer" and signed.actor == "jmj_chief"
    assert signed.id < approve.id


def test_outside_a_chain_a_decision_event_carries_no_step_and_nothing_prepared(
    seeded, api, file_chain
):
    claim_id = file_chain(threshold=None)
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    _sign(api, "jmj_chief", claim_id)
    _sign(api, "reviewer_zsj", claim_id, "disagree", "投资额不足")
    *_, decided, back = _events(seeded, claim_id)
    assert back.trigger == "joint_return"
    assert decided.payload == {
        "task_id": decided.payload["task_id"],
        "step": "",
        "department": "ZSJ",
        "decision": "disagree",
        "on_behalf_of": None,
    }
    assert decided.comment == "投资额不足"
