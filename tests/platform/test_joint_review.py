"""Joint review (联合审核) on the department/township track: a claim moves on only when 经贸局,
招商局 and 财政局 have each signed it; one disagreement sends it back to the lead department
with every opinion given; the lead department reviews again and a new round opens."""

from __future__ import annotations

from sqlalchemy import select

from approvals.claims.models import ClaimEvent
from approvals.extensions import db
from approvals.finance.models import LedgerEntry
from approvals.finance.reconcile import check
from tests.platform.conftest import JOINT, LIN, REVIEWER, TOWNSHIP, notices_of, task_of
from tests.tasks.conftest import decide, stored_tasks


def _moves(app, claim_id: int) -> list[tuple[str, str, str]]:
    """(trigger, to state, comment) of the claim's moves, without the task decisions."""
    with app.app_context():
        events = db.session.scalars(
            select(ClaimEvent).where(ClaimEvent.claim_id == claim_id).order_by(ClaimEvent.id)
        )
        return [
            (e.trigger, e.to_state, e.comment or "") for e in events if e.from_state != e.to_state
        ]


def test_a_claim_moves_on_only_when_all_three_departments_agree(seeded, api, track):
    claim_id = track.to_joint_review("PT2-PLAN")
    assert track.state(claim_id) == "under_joint_review"
    # One task each, in the clause's order; each department sees the claim it must sign.
    assert [code for _, code, *_ in stored_tasks(seeded, claim_id)] == list(JOINT)
    for code in JOINT:
        assert task_of(api(track.joint_reviewer(code, claim_id)), claim_id) is not None
    # Four-eyes: 经贸局's reviewer took the lead review, so its section chief signs for it.
    assert task_of(api(REVIEWER["JMJ"]), claim_id) is None
    assert track.joint_reviewer("JMJ", claim_id) == "chief_jmj"
    track.joint(claim_id, "JMJ", "ZSJ")
    assert track.state(claim_id) == "under_joint_review"  # 财政局 has not signed
    with seeded.app_context():
        assert db.session.scalar(select(LedgerEntry.id)) is None
    track.joint(claim_id, "CZJ")
    # Clause 2 is paid by finance directly: approved, its amount reserved on the budget.
    assert track.state(claim_id) == "approved"
    trigger, state, comment = _moves(seeded, claim_id)[-1]
    assert (trigger, state) == ("joint_approve", "approved")
    assert all(name in comment for name in ("市经贸局", "市招商局", "市财政局"))
    with seeded.app_context():
        [entry] = db.session.scalars(select(LedgerEntry)).all()
        assert (entry.kind, entry.amount, entry.claim_id) == ("reserve", 90000, claim_id)
        assert check().problems == []
    kinds = [kind for kind, _ in notices_of(seeded, claim_id)]
    assert kinds == ["receipt", "lead_opinion", "joint_opinion"]
    opinion = notices_of(seeded, claim_id)[-1][1]
    assert "经示范市经济贸易局会同示范市招商局、示范市财政局联合审核" in opinion
    assert "同意按核定金额予以拨付" in opinion and "市政府" not in opinion


def test_clauses_that_need_the_government_go_to_it_after_the_joint_review(seeded, api, track):
    claim_id = track.file("PT5-MAJOR")
    assert track.reward(claim_id, LIN).status_code == 201
    track.submit(claim_id)
    assert track.lead(claim_id, "PT5-MAJOR", approved_amount="90000.00").status_code == 200
    track.joint(claim_id)
    assert track.state(claim_id) == "government_review"
    with seeded.app_context():
        assert db.session.scalar(select(LedgerEntry.id)) is None  # reserved when approved
    text = notices_of(seeded, claim_id)[-1][1]
    assert "同意按核定金额报请市政府审定，审定结果另行通知" in text
    res = api("gov").fire(claim_id, "gov_approve", comment="同意")
    assert res.status_code == 200 and res.json["state"] == "approved"
    approval = notices_of(seeded, claim_id)[-1][1]
    assert "联合审核、市政府审定" in approval and "市财政局复核" not in approval


def test_one_disagreement_returns_the_claim_to_the_lead_with_every_opinion(seeded, api, track):
    claim_id = track.to_joint_review("PT2-PLAN")
    track.joint(claim_id, "JMJ", opinion="同意，规划已纳入产业布局。")
    track.joint(claim_id, "ZSJ", decision="disagree", opinion="规划未覆盖在谈项目用地，不同意。")
    assert track.state(claim_id) == "lead_review"
    trigger, _, comment = _moves(seeded, claim_id)[-1]
    assert trigger == "joint_return"
    assert "同意，规划已纳入产业布局" in comment and "规划未覆盖在谈项目用地" in comment
    assert "尚未办理：市财政局" in comment  # who had not yet signed
    kind, text = notices_of(seeded, claim_id)[-1]
    assert kind == "joint_send_back"
    assert "示范市经济贸易局：" in text and "现退回你局重新审核" in text  # to the lead
    assert "规划未覆盖在谈项目用地" in text and "同意，规划已纳入产业布局" in text
    # The claim page shows the lead department the round's every opinion.
    lead = api("reviewer_jmj").claim(claim_id).json
    opinions = [t["opinion"] for t in lead["tasks"]]
    assert "规划未覆盖在谈项目用地，不同意。" in opinions
    assert "lead_approve" in lead["available_triggers"]
    # Reviewed again, the claim gets a new round of all three tasks.
    res = track.lead(claim_id, "PT2-PLAN", approved_amount="85000.00")
    assert res.status_code == 200, res.json
    rounds = [(n, code, status) for n, code, status, _ in stored_tasks(seeded, claim_id)]
    assert [r for r in rounds if r[0] == 2] == [(2, code, "open") for code in JOINT]
    track.joint(claim_id)
    assert track.state(claim_id) == "approved"


def test_the_moves_the_tasks_fire_are_not_taken_by_hand(seeded, api, track):
    claim_id = track.to_joint_review("PT2-PLAN")
    reviewer = api("reviewer_jmj")
    assert reviewer.claim(claim_id).json["available_triggers"] == []
    res = reviewer.fire(claim_id, "joint_approve", comment="同意")
    assert res.status_code == 409 and res.json["error"]["code"] == "decided_by_tasks"


def test_a_department_outside_the_joint_review_sees_nothing_of_it(seeded, api, track):
    claim_id = track.to_joint_review("PT2-PLAN")
    assert api("reviewer_kjj").claim(claim_id).status_code == 404
    assert api("ent_huadong").claim(claim_id).status_code == 404
    assert api(TOWNSHIP).claim(claim_id).status_code == 200


def test_the_lead_reviewer_cannot_sign_its_departments_joint_task(api, track):
    """Four-eyes counts the lead review, a move taken by hand, as a stage of its own."""
    claim_id = track.to_joint_review("PT2-PLAN")
    task = task_of(api("chief_jmj"), claim_id)
    res = decide(api(REVIEWER["JMJ"]), task)
    assert res.status_code == 403, res.json
    assert (
        "双人把关" in res.json["error"]["message"]
        and "待牵头部门审核" in res.json["error"]["message"]
    )
    assert track.state(claim_id) == "under_joint_review"
