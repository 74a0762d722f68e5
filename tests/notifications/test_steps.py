"""Every step of a claim that issues its enterprise a notice leaves the enterprise a message in
its inbox, recorded in the step's own transaction: 受理, 补正 with its deadline, 认定, 复核,
审定 and 拨付 with the amount; none for an office's notice to another office."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from approvals.claims.models import Claim
from approvals.clock import chinese_date
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.notifications import record
from approvals.notifications.models import Message


def test_each_step_of_a_claim_tells_the_enterprise_what_it_means(seeded, api, send_form, inbox_of):
    ent, reviewer = api("ent_jiangnan"), api("reviewer_zsj")
    claim = ent.create_claim("ZSJ-MAJOR", "800000.00", "新能源电池项目招商引资")
    assert ent.attach(claim["id"], "investment_proof").status_code == 201
    assert ent.fire(claim["id"], "submit").status_code == 200
    res = reviewer.fire(
        claim["id"], "return_for_supplement", comment="请补充投资协议", supplement_days="10"
    )
    assert res.status_code == 200, res.json
    with seeded.app_context():
        due = db.session.get(Claim, claim["id"]).supplement_due
    assert ent.fire(claim["id"], "submit").status_code == 200
    res = reviewer.fire(
        claim["id"], "dept_approve", approved_amount="600000", comment="同意，核定60万元"
    )
    assert res.status_code == 200, res.json
    send_form(claim["id"])
    assert api("finance").fire(claim["id"], "finance_approve", comment="同意").status_code == 200
    assert api("gov").fire(claim["id"], "gov_approve", comment="同意").status_code == 200
    res = api("finance").fire(claim["id"], "disburse", payment_reference="ICBC-778")
    assert res.json["state"] == "disbursed", res.json

    messages = inbox_of("ent_jiangnan")
    subjects = [m.subject.split("：")[0] for m in messages]
    assert subjects == [
        "申报已受理",
        "请补正申报材料",
        "补正材料已受理",
        "初审认定通过",
        "财政复核通过",
        "市政府审定通过",
        "兑现资金已拨付",
    ]
    receipt, supplement, _again, recognition, opinion, approval, payout = messages
    assert all(m.claim_id == claim["id"] and m.read_at is None for m in messages)
    assert "已由市招商局受理" in receipt.body
    assert f"请于{chinese_date(due)}前补正" in supplement.body
    assert "请补充投资协议" in supplement.body
    assert "核定金额600,000.00元" in recognition.body
    assert "待市政府审定" in opinion.body  # the state it is in now
    assert "已经市政府审定通过" in approval.body
    assert "600,000.00元已拨付" in payout.body and "ICBC-778" in payout.body
    with seeded.app_context():
        # Each message names the notice it tells of, by the notice's own number.
        numbers = dict(db.session.execute(select(Notice.id, Notice.number)).all())
    assert all(numbers[m.notice_id] in m.body for m in messages)
    assert all(m.deliveries == [] for m in messages)  # the inbox only: nothing else chosen


def test_a_send_back_between_offices_tells_the_enterprise_nothing(
    seeded, api, submitted_claim, send_form, inbox_of
):
    api("reviewer_jmj").fire(submitted_claim, "dept_approve", approved_amount="1000", comment="可")
    send_form(submitted_claim)
    before = len(inbox_of("ent_huadong"))
    res = api("finance").fire(submitted_claim, "finance_send_back", comment="请复核金额")
    assert res.status_code == 200, res.json
    assert len(inbox_of("ent_huadong")) == before


def test_a_step_that_fails_leaves_neither_its_notice_nor_its_message(
    seeded, api, submitted_claim, monkeypatch
):
    def breaks_after_recording(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("the step fails after its message was recorded")

    original = record.record
    monkeypatch.setattr(record, "record", breaks_after_recording)
    with pytest.raises(RuntimeError):
        api("reviewer_jmj").fire(submitted_claim, "dept_reject", comment="不符合条件")
    monkeypatch.undo()
    with seeded.app_context():
        claim = db.session.get(Claim, submitted_claim)
        assert claim.state == "submitted"
        kinds = db.session.scalars(select(Notice.kind).where(Notice.claim_id == claim.id)).all()
        assert kinds == ["receipt"]
        count = db.session.scalar(
            select(func.count()).select_from(Message).where(Message.claim_id == claim.id)
        )
        assert count == 1  # the receipt's
