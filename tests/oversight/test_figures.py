"""The oversight figures equal what the claims are: per department and call year, received,
decided, overdue and paid; the 申请认定表 by the end of February and payouts by the end of
March, against an injected `now`; median days per stage. Both databases."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from approvals.extensions import db
from approvals.oversight import figures
from approvals.policies.models import Policy
from tests.finance.conftest import fire

BEIJING = ZoneInfo("Asia/Shanghai")


def _year(code: str = "JMJ-PLAN") -> int:
    return db.session.scalar(select(Policy.call_year).filter_by(code=code))


def _by_code(year: int, now: datetime) -> dict[str, figures.Line]:
    return {line.department.code: line for line in figures.lines(year, now=now)}


def test_figures_count_received_decided_overdue_and_paid(seeded, claims, make_claim):
    waiting = claims(2, to="submitted")
    claims(1, to="finance_review")
    paid = claims(2, to="disbursed")
    # Approved, waiting for its form: not decided yet (made last, or a form sent for the
    # others would list it too).
    claims(1, to="recognised")
    claims(1, to="submitted", policy="KJJ-HITECH")
    make_claim("draft", policy="KJJ-HITECH", enterprise="ent_jiangnan")  # not received
    with seeded.app_context():
        fire("reviewer_jmj", waiting[0], "dept_reject", comment="不符合条件")
        year = _year()
        assert _year("KJJ-HITECH") == year
        before = _by_code(year, now=datetime(year + 1, 2, 1, tzinfo=BEIJING))
        after = _by_code(year, now=datetime(year + 1, 4, 2, tzinfo=BEIJING))
    jmj, kjj = before["JMJ"], before["KJJ"]
    assert (jmj.received, jmj.decided, jmj.overdue, jmj.paid) == (6, 4, 0, 2)
    assert (kjj.received, kjj.decided, kjj.overdue, kjj.paid) == (1, 0, 0, 0)
    # Past the end of February the claims still with the department are late: the one
    # awaiting review and the approved one awaiting its form.
    assert after["JMJ"].overdue == 2 and after["KJJ"].overdue == 1
    assert (after["JMJ"].payout_on_time, after["JMJ"].payout_late) == (2, 0)
    assert len(paid) == 2 and set(before) == {"JMJ", "KJJ"}


def test_form_sent_on_time_late_or_not_sent(seeded, make_claim, send_form):
    with seeded.app_context():
        year = _year()
    jmj = make_claim("recognised", policy="JMJ-PLAN", approved_amount="1000.00")
    kjj = make_claim("recognised", policy="KJJ-HITECH", approved_amount="2000.00")
    make_claim("recognised", policy="ZSJ-MAJOR", approved_amount="300.00")
    # The last minute of February in Beijing is on time, the first of March is late.
    send_form(jmj.id, now=datetime(year + 1, 2, 28, 23, 59, tzinfo=BEIJING))
    send_form(kjj.id, now=datetime(year + 1, 3, 1, 0, 10, tzinfo=BEIJING))
    with seeded.app_context():
        in_february = _by_code(year, now=datetime(year + 1, 2, 20, tzinfo=BEIJING))
        in_march = _by_code(year, now=datetime(year + 1, 3, 2, tzinfo=BEIJING))
    assert in_march["JMJ"].form == "on_time"
    assert in_march["JMJ"].form_sent_on.isoformat() == f"{year + 1}-02-28"
    assert in_march["KJJ"].form == "late"
    assert in_march["KJJ"].form_sent_on.isoformat() == f"{year + 1}-03-01"
    assert in_february["ZSJ"].form == "not_sent"  # not yet due
    assert in_march["ZSJ"].form == figures.FORM_OVERDUE and in_march["ZSJ"].overdue == 1


def test_payout_by_the_end_of_march(seeded, claims):
    on_time = claims(1, to="disbursed")
    late, unpaid = claims(2, to="approved", policy="ZSJ-MAJOR")
    with seeded.app_context():
        year = _year("ZSJ-MAJOR")
        april = datetime(year + 1, 4, 2, 9, tzinfo=BEIJING)
        fire("finance", late, "disburse", payment_reference="REF-LATE", now=april)
        march = _by_code(year, now=datetime(year + 1, 3, 31, 23, tzinfo=BEIJING))
        may = _by_code(year, now=datetime(year + 1, 5, 1, tzinfo=BEIJING))
    zsj = may["ZSJ"]
    assert (zsj.paid, zsj.payout_on_time, zsj.payout_late, zsj.payout_overdue) == (1, 0, 1, 1)
    assert march["ZSJ"].payout_overdue == 0  # still March: not yet late
    assert (may["JMJ"].payout_on_time, may["JMJ"].payout_overdue) == (1, 0)
    assert unpaid and on_time


def test_stage_medians_per_department(seeded, claims):
    claims(3, to="finance_review")
    claims(1, to="submitted", policy="KJJ-HITECH")
    with seeded.app_context():
        year = _year()
        medians = figures.stage_medians(year)
        lines = figures.lines(year)
        found = figures.stages(lines)
    jmj = next(line for line in lines if line.department.code == "JMJ")
    # Entered and left: 待初审 and 待报送认定表; 待财政复核 is still running, KJJ's 待初审 too.
    assert set(jmj.medians) == {"待初审", "待报送认定表"}
    assert all(days >= 0 for days in jmj.medians.values())
    assert medians[(jmj.department.id, year)] == jmj.medians
    assert not any(line.medians for line in lines if line.department.code == "KJJ")
    assert found == ["待初审", "待报送认定表"]
