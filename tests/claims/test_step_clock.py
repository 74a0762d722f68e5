"""A counted deadline on a step (working days from entry), its clock standing still while the
claim waits for the enterprise's 补正, and the system's move when it passes, fired by
`flask tick` from a timer row: once, through the door, and not at all for a claim that left
the step. Every date comes from the injected clock; nothing sleeps."""

import shutil
from datetime import date

import pytest
from sqlalchemy import func, select

from approvals import workflow
from approvals.claims.models import Claim, ClaimEvent
from approvals.config import REPO_ROOT
from approvals.extensions import db
from approvals.workflow.models import Timer
from tests.conftest import set_clock

SHIPPED = REPO_ROOT / "workflows"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
EXPIRY = """
[[transitions]]
trigger = "expire"
source = "submitted"
dest = "rejected"
roles = ["system"]
label = { zh = "逾期未办结", en = "Expired" }
"""
SUBMITTED = "[states.submitted]"
COUNTED = 'deadline = { working_days = 5 }\non_deadline = "expire"'


@pytest.fixture
def counted(seeded, tmp_path):
    """The shipped workflows, the enterprise claim's first review given 5 working days and a
    system move (`expire`) when they pass."""
    root = tmp_path / "workflows"
    for name in ("enterprise_claim", "platform_claim", "special_fund"):
        shutil.copytree(SHIPPED / name, root / name)
    path = root / "enterprise_claim" / "v1.toml"
    text = path.read_text("utf-8")
    start = text.index(SUBMITTED)
    end = text.index("\n[", start + 1)
    block = text[start:end].replace('deadline = "end-of-february"', COUNTED)
    path.write_text(text[:start] + block + text[end:] + EXPIRY, "utf-8")
    seeded.config["WORKFLOWS_DIR"] = str(root)
    workflow.init_app(seeded)
    return seeded


def _claim(claim_id) -> Claim:
    return db.session.get(Claim, claim_id, populate_existing=True)


def _tick(app, when: str) -> str:
    result = app.test_cli_runner().invoke(args=["tick", "--now", when])
    assert result.exit_code == 0, result.output
    return result.output


def test_five_working_days_skip_national_day(counted, submitted_on):
    claim_id = submitted_on(on="2026-09-29T10:00")  # Tue: 30 Sep, 8, 9, 10 (make-up Sat), 12 Oct
    with counted.app_context():
        claim = _claim(claim_id)
        assert claim.due_at.isoformat() == "2026-10-12T16:00:00+00:00"  # 13 Oct 00:00 Beijing
        assert claim.due_provisional is False


def test_the_clock_stands_still_during_supplement_and_runs_on_after(counted, api, submitted_on):
    claim_id = submitted_on(
        on="2026-11-02T09:00", window=NOVEMBER
    )  # Mon; due Mon 9 Nov (5 working days)
    set_clock(counted, "2026-11-04T10:00")  # Wed: 2 working days used (3, 4 Nov), 3 left
    reviewer, ent = api("reviewer_jmj"), api("ent_huadong")
    assert (
        reviewer.fire(
            claim_id, "return_for_supplement", comment="补充", supplement_days=10
        ).status_code
        == 200
    )
    set_clock(counted, "2026-11-16T10:00")  # the enterprise kept it 8 working days
    assert ent.fire(claim_id, "submit").status_code == 200
    with counted.app_context():
        claim = _claim(claim_id)
        # 3 days left from Mon 16 Nov: 17, 18, 19 Nov; not 5 from zero, not 0 (the days it was away)
        assert claim.due_at.astimezone().date() >= date(2026, 11, 19)
        events = {
            e.trigger: e.payload
            for e in db.session.scalars(select(ClaimEvent).filter_by(claim_id=claim_id))
        }
        assert events["return_for_supplement"]["clock"] == {
            "state": "submitted",
            "left": 3,
            "used": 2,
            "paused": True,
        }
        resumed = [
            e.payload["clock"]
            for e in db.session.scalars(
                select(ClaimEvent).filter_by(claim_id=claim_id, trigger="submit")
            )
            if "clock" in e.payload
        ]
        assert resumed == [{"state": "submitted", "left": 3, "used": 2, "due": "2026-11-19"}]
        assert claim.clock_left is None


def test_tick_takes_the_system_move_at_the_deadline_once(counted, api, submitted_on):
    claim_id = submitted_on(on="2026-11-02T09:00", window=NOVEMBER)  # due by the end of Mon 9 Nov
    assert "deadline.move" not in _tick(counted, "2026-11-09T23:59+08:00")  # the last day
    output = _tick(counted, "2026-11-10T00:01+08:00")
    assert "fired    deadline.move: " in output and "expire" in output
    assert "deadline.move" not in _tick(counted, "2026-11-10T00:02+08:00")  # not twice
    with counted.app_context():
        claim = _claim(claim_id)
        assert claim.state == "rejected"
        event = db.session.scalar(select(ClaimEvent).filter_by(claim_id=claim_id, trigger="expire"))
        assert event.actor.role == "system"
        timer = db.session.scalar(select(Timer).filter_by(claim_id=claim_id))
        assert timer.fired_at is not None and timer.outcome.endswith("expire")


def test_a_claim_that_left_the_step_is_not_moved(counted, api, submitted_on):
    claim_id = submitted_on(on="2026-11-02T09:00", window=NOVEMBER)
    set_clock(counted, "2026-11-03T09:00")
    assert (
        api("reviewer_jmj")
        .fire(claim_id, "dept_approve", comment="同意", approved_amount="900")
        .status_code
        == 200
    )
    output = _tick(counted, "2026-11-10T00:01+08:00")
    assert "obsolete" in output
    with counted.app_context():
        assert _claim(claim_id).state == "recognised"
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(ClaimEvent)
                .filter_by(claim_id=claim_id, trigger="expire")
            )
            == 0
        )


def test_a_holiday_the_administrator_enters_moves_the_deadline(counted, submitted_on):
    from approvals.workflow.calendar import set_calendar_day

    with counted.app_context():
        set_calendar_day(date(2026, 11, 5), False, "城市纪念日")
    claim_id = submitted_on(on="2026-11-02T09:00", window=NOVEMBER)  # 3, 4, 6, 9, 10 Nov
    with counted.app_context():
        assert _claim(claim_id).due_at.isoformat() == "2026-11-10T16:00:00+00:00"
