"""The 会签意见单 (`countersign`): one department's decision on a claim it reviews with others,
issued in its name for the event of that decision (trigger `task_decision`) and addressed to
the lead department, the one the claim is declared to, without 抄送: the claim, the
decision and opinion, the amount prepared, who signed (and for whom) and when. A workflow
may name it; its signatures are facts of the notice, and its link holds the claim's chain."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim, ClaimEvent
from approvals.clock import LOCAL, current_time
from approvals.extensions import db
from approvals.notices import outbox
from approvals.notices.facts import facts_from_json
from approvals.notices.issue import issue_for_event
from approvals.notices.render import render_notice
from approvals.notices.verification import record_holds
from approvals.organisations.models import User
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import catalog
from tests.notices.test_wording import notice_text
from tests.tasks import conftest as joint_track

# The joint-review track's fixtures (tests/tasks/conftest.py), lent to this module.
deploy, file_joint, make_reviewer, reviewers = (
    joint_track.deploy,
    joint_track.file_joint,
    joint_track.make_reviewer,
    joint_track.reviewers,
)
TASK_DECISION = "task_decision"  # the trigger of a review task's decision event


def _user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def decided(claim_id: int, department: str, username: str, decision: str, opinion: str, **task):
    """Decide the claim's task of `department` as the engine does, and write the event of
    that decision as the claim's history records events (approvals/claims/history.py):
    returns the event, flushed (sealed into the claim's hash chain)."""
    actor, now = _user(username), current_time()
    behalf = task.pop("on_behalf_of", None)
    principal = _user(behalf).id if behalf else None
    claim = db.session.get(Claim, claim_id)
    rows = db.session.scalars(
        select(ReviewTask).where(ReviewTask.claim_id == claim_id, ReviewTask.status == "open")
    ).all()
    [row] = [t for t in rows if t.department.code == department]
    # Once decided the row is never changed again: every column at once, then flushed.
    row.status, row.decision, row.opinion = "done", decision, opinion
    row.decided_by_id, row.decided_at, row.on_behalf_of_id = actor.id, now, principal
    for name, value in task.items():
        setattr(row, name, value)
    db.session.flush()
    event = ClaimEvent(
        claim_id=claim_id,
        trigger=TASK_DECISION,
        from_state=claim.state,
        to_state=claim.state,
        actor_id=actor.id,
        at=now,
        comment=opinion,
        payload={
            "task_id": row.id,
            "step": row.step,
            "department": department,
            "decision": decision,
            "on_behalf_of": principal,
            "prepared": row.prepared,
        },
    )
    db.session.add(event)
    db.session.flush()
    return event


def rendered(notice):
    """Committed, then rendered as the outbox renders it after a transition's commit."""
    db.session.commit()
    assert outbox.render_one(notice.id)
    return notice


def test_a_departments_opinion_goes_to_the_lead_department(seeded, file_joint, make_reviewer):
    claim_id = file_joint(departments=("JMJ", "ZSJ"))  # declared to 经贸局, the lead
    make_reviewer("zsj_sun", "ZSJ", display_name="孙七")
    make_reviewer("zsj_qian", "ZSJ", display_name="钱九")
    with seeded.app_context():
        claim = db.session.get(Claim, claim_id)
        event = decided(
            claim_id,
            "ZSJ",
            "zsj_sun",
            "agree",
            "投资额已核实，同意支持",
            on_behalf_of="zsj_qian",
            prepared={"approved_amount": "800.00"},
        )
        notice = rendered(issue_for_event(claim, event, "countersign"))
        text = notice_text(notice.pdf)
        local = event.at.astimezone(LOCAL)
        day = f"{local.year}年{local.month}月{local.day}日"
        for expected in (
            "示范市招商局文件",  # in the deciding department's name, 文件格式
            "会签意见单",
            "示范市经济贸易局：",  # to the lead department
            "华东精密机械有限公司申报的测试政策条款项目",
            "经我局审核，会签意见如下。",
            "拟核定金额800.00元人民币捌佰元整",
            "会签意见：同意。投资额已核实，同意支持",
            f"签署人：孙七（代钱九）{day}",
            "印发",
        ):
            assert expected in text, expected
        assert "抄送" not in text and "你单位" not in text
        assert notice.number.startswith("招商兑〔") and notice.event_id == event.id
        assert notice.all_facts["addressee"] == "示范市经济贸易局" and notice.all_facts["cc"] == []
        [signer] = notice.all_facts["signers"]
        assert (signer["name"], signer["on_behalf_of"], signer["decision"]) == (
            "孙七",
            "钱九",
            "agree",
        )
        assert Decimal(notice.all_facts["proposed_amount"]) == Decimal("800.00")
        assert render_notice(facts_from_json(notice.facts)) == notice.pdf
        assert record_holds(notice)  # its link follows its event in the claim's chain


def test_a_return_says_so_and_the_leads_own_opinion_goes_to_finance(seeded, file_joint):
    claim_id = file_joint(departments=("JMJ", "ZSJ"))
    with seeded.app_context():
        claim = db.session.get(Claim, claim_id)
        returned = decided(claim_id, "ZSJ", "reviewer_zsj", "return", "请补充投资协议原件")
        text = notice_text(rendered(issue_for_event(claim, returned, "countersign")).pdf)
        assert "会签意见：退回。请补充投资协议原件签署人：市招商局初审" in text
        # 经贸局 leads: its own opinion is addressed to the office that re-reviews (财政局).
        own = decided(claim_id, "JMJ", "reviewer_jmj", "agree", "同意")
        notice = rendered(issue_for_event(claim, own, "countersign"))
        text = notice_text(notice.pdf)
        assert "示范市经济贸易局文件" in text and "示范市财政局：" in text
        assert "会签意见：同意签署人：市经贸局初审" in text  # a bare 同意, said once
        assert "拟核定金额" not in text


def test_a_workflow_may_name_the_countersign_notice(seeded):
    assert "countersign" in catalog(seeded).notices


@pytest.mark.parametrize("payload", [{}, {"task_id": "1"}, {"task_id": 10**6}])
def test_an_event_that_names_no_decided_task_issues_no_countersign(seeded, file_joint, payload):
    claim_id = file_joint(departments=("JMJ", "ZSJ"))
    with seeded.app_context():
        claim = db.session.get(Claim, claim_id)
        event = ClaimEvent(
            claim_id=claim_id,
            trigger=TASK_DECISION,
            from_state=claim.state,
            to_state=claim.state,
            actor_id=_user("reviewer_zsj").id,
            at=current_time(),
            payload=payload,
        )
        db.session.add(event)
        db.session.flush()
        with pytest.raises(ValueError, match="no decided review task"):
            issue_for_event(claim, event, "countersign")
        db.session.rollback()
