"""Around a step's deadline, fired by `flask tick` at an injected time (nothing sleeps): the
officials who must act are reminded 3 working days before it, the department head is told
when it passes, and 3 working days after it 市府办 issues a numbered 督办通知 to the
department, whose officials are told; each once, and nothing for a claim decided in time."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.supervision.models import Supervision
from tests.supervision.conftest import (
    BEFORE_REMINDER,
    DEADLINE,
    REMINDER,
    SUPERVISION,
    claim_number,
    pdf_text,
)

CHAIN = ("reviewer_jmj", "chief_jmj", "leader_jmj")  # 市经贸局's reviewers


def _supervisions(app) -> list[tuple[str, str, list[int], bytes | None]]:
    with app.app_context():
        rows = db.session.scalars(select(Supervision).order_by(Supervision.id))
        return [
            (
                s.notice.number,
                s.department.code,
                [item.claim_id for item in s.items],
                db.session.scalar(select(Notice).where(Notice.id == s.notice.id)).pdf,
            )
            for s in rows
        ]


def test_a_waiting_claim_is_reminded_then_escalated_then_supervised(
    seeded, submitted_on, tick, inbox_of
):
    claim_id = submitted_on(on="2026-09-29T10:00")
    number = claim_number(seeded, claim_id)

    assert "deadline.remind" not in tick(BEFORE_REMINDER)
    assert inbox_of("reviewer_jmj") == []

    output = tick(REMINDER)
    assert "deadline.remind: reminded 3 officials of 1 claims" in output
    for username in CHAIN:
        [(subject, body, _)] = inbox_of(username)
        assert "办理期限提醒" in subject and number in body and "2027年2月28日" in body
    assert inbox_of("finance") == [] and inbox_of("gov") == []

    output = tick(DEADLINE)
    assert "deadline.head: told 1 heads of 1 claims" in output
    assert len(inbox_of("reviewer_jmj")) == 1  # the case officer is not told again
    [_, (subject, body, _)] = inbox_of("leader_jmj")
    assert "办理期限已到" in subject and number in body

    output = tick(SUPERVISION)
    assert "deadline.supervise: 府办兑〔2027〕" in output
    [(notice_number, addressee, listed, pdf)] = _supervisions(seeded)
    assert notice_number.startswith("府办兑〔2027〕") and addressee == "JMJ"
    assert listed == [claim_id]
    text = pdf_text(pdf)
    assert notice_number in text
    assert "示范市人民政府办公室" in text and "督办" in text
    assert "示范市经济贸易局：" in text  # 主送: the department that must act
    assert number in text and "待初审" in text and "2027年2月28日" in text
    assert "4天" in text  # 4 March is 4 days after the last day
    for username in CHAIN:
        *_, (subject, body, pointed) = inbox_of(username)
        assert subject == f"督办通知：{notice_number}" and pointed == notice_number
        assert number in body and "/supervision" in body


def test_ticking_twice_sends_nothing_twice(seeded, submitted_on, tick, inbox_of):
    submitted_on(on="2026-09-29T10:00")
    for when in (REMINDER, DEADLINE, SUPERVISION):
        tick(when)
        again = tick(when)
        assert "fired    deadline." not in again
    assert len(inbox_of("reviewer_jmj")) == 2  # the reminder and the 督办
    assert len(inbox_of("leader_jmj")) == 3  # and the deadline
    assert len(_supervisions(seeded)) == 1


def test_a_claim_decided_before_the_deadline_gets_nothing(seeded, submitted_on, api, tick):
    from tests.conftest import set_clock

    claim_id = submitted_on(on="2026-09-29T10:00")
    set_clock(seeded, "2026-10-20T10:00")
    res = api("reviewer_jmj").fire(claim_id, "dept_reject", comment="不符合申报条件")
    assert res.status_code == 200, res.json
    for when in (REMINDER, DEADLINE, SUPERVISION):
        output = tick(when)
        assert output.count("nothing due") == 1, output
    with seeded.app_context():
        assert db.session.scalar(select(func.count()).select_from(Supervision)) == 0


def test_a_holiday_in_the_calendar_moves_the_reminder(seeded, submitted_on, tick, inbox_of):
    from approvals.workflow.calendar import set_calendar_day

    with seeded.app_context():
        set_calendar_day(date(2027, 2, 24), False, "城市纪念日")
    submitted_on(on="2026-09-29T10:00")
    # 26, 25 and (24 being a holiday) 23 February: the reminder comes a day earlier.
    assert "deadline.remind: reminded" in tick("2027-02-23T00:01+08:00")
    assert len(inbox_of("reviewer_jmj")) == 1


def test_a_claim_in_finances_queue_is_finances_to_act_on(seeded, claims, tick, inbox_of):
    # 待财政复核 is due by the end of March 2027: by 10 April every timer of it has fired.
    [claim_id] = claims(1, to="finance_review")
    number = claim_number(seeded, claim_id)
    output = tick("2027-04-10T00:01+08:00")
    assert "deadline.supervise: 府办兑〔2027〕" in output
    # The finance bureau's officials hold no position: its head's message goes to them too.
    subjects = [subject for subject, body, _ in inbox_of("finance") if number in body]
    assert [s.split("：")[0] for s in subjects] == ["办理期限提醒", "办理期限已到", "督办通知"]
    assert inbox_of("reviewer_jmj") == []  # the department's own steps were done in time
    [(_, addressee, listed, pdf)] = _supervisions(seeded)
    assert addressee == "CZJ" and listed == [claim_id]
    text = pdf_text(pdf)
    assert "财政局：" in text and "示范市经济贸易局初审的" in text and "待财政复核" in text


def test_a_message_lists_twenty_claims_and_counts_the_rest():
    from approvals.supervision.escalation import DueClaim
    from approvals.supervision.wording import claim_lines

    many = [DueClaim(i, f"2026-JMJ-{i:06d}", "某企业", "某项目") for i in range(1, 26)]
    lines = claim_lines(many).splitlines()
    assert len(lines) == 21 and lines[-1] == "等25件。"
    assert "2026-JMJ-000020" in lines[19] and "2026-JMJ-000021" not in claim_lines(many)
