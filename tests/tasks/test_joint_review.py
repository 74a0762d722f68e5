"""Joint review (联合审核) through review tasks: a claim entering the state gets one task per
department its policy lists; the completion rule moves it once, the first disagreement sends
it back with every opinion shown, a new entry opens a new round."""

from __future__ import annotations

import pytest

from approvals.audit.check import AuditReport, check_claims
from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from tests.tasks.conftest import JOINT, REVIEWERS, decide, decide_as, stored_tasks, task_of


def _claim(api, claim_id: int) -> dict:
    return api("admin").claim(claim_id).json


def _events(app, claim_id: int, trigger: str) -> list[tuple[str, str]]:
    """(actor's username, comment) of each of the claim's events of `trigger`."""
    with app.app_context():
        events = db.session.scalars(
            db.select(ClaimEvent).filter_by(claim_id=claim_id, trigger=trigger)
        )
        return [(e.actor.username, e.comment) for e in events]


def test_each_department_the_policy_lists_gets_a_task_on_entering(seeded, api, file_joint):
    claim_id = file_joint()
    assert stored_tasks(seeded, claim_id) == [(1, code, "open", None) for code in JOINT]
    for code, username in REVIEWERS.items():
        task = task_of(api(username), claim_id)
        assert (task["department"], task["state"], task["status"]) == (code, "joint_review", "open")
        assert task["claim_number"] == _claim(api, claim_id)["number"]
    assert api("ent_huadong").get("/api/v1/tasks").json["items"] == []
    assert api("reviewer_kjj").get("/api/v1/tasks").json["items"] == []


def test_every_department_agreeing_moves_the_claim_once(seeded, api, file_joint):
    claim_id = file_joint()
    for username in ("reviewer_jmj", "reviewer_zsj"):
        res = decide_as(api, username, claim_id, opinion=f"{username}：符合条件")
        assert res.status_code == 200, res.json
        assert (res.json["status"], res.json["decision"]) == ("done", "agree")
        assert _claim(api, claim_id)["state"] == "joint_review"
    res = decide_as(api, "reviewer_czj", claim_id)
    assert res.status_code == 200, res.json
    assert res.json["decided_by"]["name"] == "市财政局初审"

    claim = _claim(api, claim_id)
    assert claim["state"] == "finance_review"
    [(actor, comment)] = _events(seeded, claim_id, "joint_approve")
    assert actor == "reviewer_czj"  # whose decision completed the round
    assert "市经贸局（市经贸局初审）同意：reviewer_jmj：符合条件" in comment
    assert "市招商局（市招商局初审）同意：reviewer_zsj：符合条件" in comment
    assert "市财政局（市财政局初审）同意：同意" in comment
    assert "尚未办理" not in comment
    with seeded.app_context():
        assert db.session.get(Claim, claim_id).reached_finance
        report = AuditReport()
        check_claims(report, [claim_id])
        assert report.ok, report.breaks
    # Each decision is an event of its own, the last one before the move it fired.
    assert [e["trigger"] for e in claim["history"]] == [
        "submit",
        *["task_decision"] * 3,
        "joint_approve",
    ]


def test_one_disagreement_returns_the_claim_with_every_opinion(seeded, api, file_joint):
    claim_id = file_joint()
    assert decide_as(api, "reviewer_jmj", claim_id, opinion="符合条件").status_code == 200
    res = decide_as(api, "reviewer_zsj", claim_id, "disagree", "投资额未达到条款要求")
    assert res.status_code == 200, res.json

    assert _claim(api, claim_id)["state"] == "returned"
    [(_, comment)] = _events(seeded, claim_id, "joint_return")
    assert comment == (
        "会签意见：市经贸局（市经贸局初审）同意：符合条件；"
        "市招商局（市招商局初审）不同意：投资额未达到条款要求；尚未办理：市财政局"
    )
    # 财政局's task stays as it was, in a round the claim has left.
    czj = api("reviewer_czj")
    assert task_of(czj, claim_id) is None
    with seeded.app_context():
        from approvals.workflow.models import ReviewTask

        left = db.session.scalar(db.select(ReviewTask).filter_by(claim_id=claim_id, status="open"))
        stale = {"id": left.id, "version": left.version}
    res = decide(czj, stale)
    assert res.status_code == 409 and res.json["error"]["code"] == "task_closed"


def test_a_claim_submitted_again_gets_a_new_round_and_keeps_the_old(seeded, api, file_joint):
    claim_id = file_joint()
    decide_as(api, "reviewer_jmj", claim_id, "return", "请补充投资协议")
    assert _claim(api, claim_id)["state"] == "returned"
    assert api("ent_huadong").fire(claim_id, "submit").status_code == 200

    first = [(1, "JMJ", "done", "return"), (1, "ZSJ", "open", None), (1, "CZJ", "open", None)]
    assert stored_tasks(seeded, claim_id) == first + [(2, code, "open", None) for code in JOINT]
    assert task_of(api("reviewer_zsj"), claim_id)["round"] == 2
    for username in REVIEWERS.values():
        assert decide_as(api, username, claim_id).status_code == 200
    assert _claim(api, claim_id)["state"] == "finance_review"


@pytest.mark.parametrize(
    ("completion", "agreeing"),
    [("n_of_m = 2", ("reviewer_jmj", "reviewer_czj")), ('complete = "any"', ("reviewer_zsj",))],
)
def test_the_claim_moves_once_enough_have_agreed(seeded, api, file_joint, completion, agreeing):
    claim_id = file_joint(completion)
    for username in agreeing[:-1]:
        assert decide_as(api, username, claim_id).status_code == 200
        assert _claim(api, claim_id)["state"] == "joint_review"
    assert decide_as(api, agreeing[-1], claim_id).status_code == 200
    assert _claim(api, claim_id)["state"] == "finance_review"
    assert len(_events(seeded, claim_id, "joint_approve")) == 1
    # Those who had not decided have nothing left to do on it.
    for username in set(REVIEWERS.values()) - set(agreeing):
        assert task_of(api(username), claim_id) is None


def test_a_disagreement_before_the_rule_holds_still_returns_the_claim(api, file_joint):
    claim_id = file_joint("n_of_m = 2")
    assert decide_as(api, "reviewer_jmj", claim_id).status_code == 200
    assert decide_as(api, "reviewer_zsj", claim_id, "disagree", "不符合").status_code == 200
    assert _claim(api, claim_id)["state"] == "returned"


def test_a_round_that_could_never_complete_refuses_the_move(api, file_joint, make_policy):
    file_joint("n_of_m = 3", departments=("JMJ", "ZSJ", "CZJ"))
    ent = api("ent_jiangnan")
    for departments in ([], ["JMJ", "ZSJ"]):
        code = make_policy(workflow="joint_claim", joint_review=departments, required_evidence=[])
        claim_id = ent.create_claim(code, "1000.00")["id"]
        res = ent.fire(claim_id, "submit")
        assert res.status_code == 409 and res.json["error"]["code"] == "too_few_candidates"
        assert f"只列出了 {len(departments)} 个" in res.json["error"]["message"]
        assert ent.claim(claim_id).json["state"] == "draft"


def test_a_department_the_policy_names_wrongly_refuses_the_move(api, file_joint, make_policy):
    file_joint()
    code = make_policy(workflow="joint_claim", joint_review=["JMJ", "XYZ"], required_evidence=[])
    ent = api("ent_jiangnan")
    claim_id = ent.create_claim(code, "1000.00")["id"]
    res = ent.fire(claim_id, "submit")
    assert res.status_code == 409 and res.json["error"]["code"] == "unknown_department"
    assert "XYZ" in res.json["error"]["message"]


def test_the_moves_the_tasks_fire_are_neither_offered_nor_taken_by_hand(api, file_joint):
    claim_id = file_joint()
    reviewer = api("reviewer_jmj")
    assert reviewer.claim(claim_id).json["available_triggers"] == []
    res = reviewer.fire(claim_id, "joint_approve", comment="同意")
    assert res.status_code == 409 and res.json["error"]["code"] == "decided_by_tasks"
    assert _claim(api, claim_id)["state"] == "joint_review"
