"""补正 with a deadline that exists: the return sets a 补正期限 in working days, the
enterprise may resubmit until that day even after the window closed, and `flask tick` lapses
a claim past it, as the system, issuing its notice. Every date comes from the injected clock."""

import threading
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from approvals.claims import services
from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.supplement import lapse_overdue, system_user
from approvals.errors import Conflict, Forbidden, NotFound
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.organisations.services import authenticate
from approvals.workflow import runtime
from tests.conftest import PASSWORD, SEPTEMBER, set_clock

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing(when: str) -> datetime:
    return datetime.fromisoformat(when).replace(tzinfo=BEIJING).astimezone(UTC)


@pytest.fixture
def returned(api, submitted_on):
    """returned(days, on=…) → the id of a claim of 华东精密机械 submitted and returned by
    reviewer_jmj at Beijing time `on`, with `days` working days (None: not given)."""

    def make(days=3, on="2026-09-29T10:00", window=SEPTEMBER) -> int:
        claim_id = submitted_on(on=on, window=window)
        extra = {} if days is None else {"supplement_days": days}
        res = api("reviewer_jmj").fire(
            claim_id, "return_for_supplement", comment="请补充项目方案", **extra
        )
        assert res.status_code == 200, res.json
        return claim_id

    return make


def _claim(app, claim_id) -> Claim:
    return db.session.get(Claim, claim_id)


# The deadline ------------------------------------------------------------------------------


def test_return_counts_the_deadline_in_working_days_past_national_day(seeded, api, returned):
    claim_id = returned(days=3)  # Tue 29 Sep: 30 Sep, then 8 and 9 Oct (1–7 Oct off)
    body = api("ent_huadong").claim(claim_id).json
    assert body["state"] == "returned"
    assert body["supplement_due"] == "2026-10-09"
    assert body["supplement_due_provisional"] is False
    assert "supplement" in [n["kind"] for n in body["notices"]]
    with seeded.app_context():
        event = db.session.scalar(
            db.select(ClaimEvent).filter_by(claim_id=claim_id, trigger="return_for_supplement")
        )
        assert event.payload == {
            "supplement_days": 3,
            "supplement_due": "2026-10-09",
            "supplement_due_provisional": False,
        }


def test_supplement_days_default_to_ten(api, returned):
    claim_id = returned(days=None)  # 30 Sep, 8–9 Oct, 10 Oct (make-up Saturday), 12–16, 19 Oct
    assert api("ent_huadong").claim(claim_id).json["supplement_due"] == "2026-10-19"


def test_a_deadline_in_2027_is_provisional(api, returned):
    claim_id = returned(
        days=10, on="2026-12-28T10:00", window=(date(2026, 12, 1), date(2026, 12, 31))
    )
    body = api("ent_huadong").claim(claim_id).json
    assert body["supplement_due"] == "2027-01-12"
    assert body["supplement_due_provisional"] is True
    listed = api("ent_huadong").get("/api/v1/claims").json["items"]
    assert {
        "id": claim_id,
        "supplement_due": "2027-01-12",
        "supplement_due_provisional": True,
    }.items() <= next(c for c in listed if c["id"] == claim_id).items()


@pytest.mark.parametrize("days", [0, 31, "abc", -1, 2.5, True])
def test_supplement_days_out_of_range_is_422(seeded, api, make_policy, submitted_claim, days):
    reviewer = api("reviewer_jmj")
    res = reviewer.fire(
        submitted_claim, "return_for_supplement", comment="补充", supplement_days=days
    )
    assert res.status_code == 422, res.json
    assert "supplement_days" in res.json["error"]["fields"]
    assert reviewer.claim(submitted_claim).json["state"] == "submitted"


# Resubmission ------------------------------------------------------------------------------


def test_resubmission_after_the_window_closed_within_the_deadline_is_accepted(
    seeded, api, returned
):
    claim_id = returned(days=3)  # due 9 October; the window closed on 30 September
    set_clock(seeded, "2026-10-09T23:30")  # the last day, late in the evening
    res = api("ent_huadong").fire(claim_id, "submit")
    assert res.status_code == 200, res.json
    assert res.json["state"] == "submitted"
    assert res.json["supplement_due"] is None  # answered: no deadline runs any more


def test_resubmission_after_the_deadline_is_refused_with_the_date(seeded, api, returned):
    claim_id = returned(days=3)
    set_clock(seeded, "2026-10-10T00:05")
    res = api("ent_huadong").fire(claim_id, "submit")
    assert res.status_code == 422
    error = res.json["error"]
    assert error["code"] == "condition_failed"
    assert error["fields"]["supplement_due"] == "补正期限（2026-10-09）已过，不能再提交补正材料"


def test_first_submission_still_needs_the_window(seeded, api, make_policy):
    code = make_policy(call_year=2026, window_open=SEPTEMBER[0], window_close=SEPTEMBER[1])
    set_clock(seeded, "2026-10-01T09:00")
    ent = api("ent_huadong")
    claim = ent.create_claim(code, "1000.00")
    ent.attach(claim["id"], "business_licence")
    res = ent.fire(claim["id"], "submit")
    assert res.status_code == 422 and "不在申报期内" in res.json["error"]["fields"]["policy"]


# The lapse ---------------------------------------------------------------------------------


def _tick(app, now: str | None = None):
    args = ["tick"] + (["--now", now] if now else [])
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output


def test_tick_lapses_an_overdue_claim_as_the_system_with_its_notice(seeded, api, returned):
    claim_id = returned(days=3)
    output = _tick(seeded, "2026-10-10T00:01+08:00")
    assert "tick: 1 lapsed, 0 skipped" in output
    body = api("ent_huadong").claim(claim_id).json
    assert body["state"] == "lapsed"
    assert body["history"][-1]["trigger"] == "lapse"
    assert body["history"][-1]["actor"] == "系统"
    assert body["available_triggers"] == []
    assert [n["kind"] for n in body["notices"]][-1] == "lapse"
    with seeded.app_context():
        event = db.session.scalar(
            db.select(ClaimEvent).filter_by(claim_id=claim_id, trigger="lapse")
        )
        assert event.actor.role == "system" and event.actor.username == "system"
        assert _claim(seeded, claim_id).decided_at == beijing("2026-10-10T00:01")


def test_tick_is_idempotent(seeded, api, returned):
    claim_id = returned(days=3)
    assert "1 lapsed" in _tick(seeded, "2026-10-12T09:00+08:00")
    assert "tick: 0 lapsed, 0 skipped" in _tick(seeded, "2026-10-12T09:05+08:00")
    body = api("ent_huadong").claim(claim_id).json
    assert [h["trigger"] for h in body["history"]].count("lapse") == 1
    with seeded.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(Notice)
                .filter_by(claim_id=claim_id, kind="lapse")
            )
            == 1
        )


def test_tick_leaves_claims_not_yet_due_alone(seeded, api, returned):
    claim_id = returned(days=3)
    set_clock(seeded, "2026-10-09T23:59")  # the last day: the enterprise still has it
    assert "tick: 0 lapsed" in _tick(seeded)
    assert api("ent_huadong").claim(claim_id).json["state"] == "returned"


def test_tick_reads_the_injected_clock(seeded, api, returned):
    claim_id = returned(days=3)
    set_clock(seeded, "2026-10-10T08:00")
    assert "1 lapsed" in _tick(seeded)
    assert api("ent_huadong").claim(claim_id).json["state"] == "lapsed"


def test_tick_refuses_a_time_without_zone(seeded):
    result = seeded.test_cli_runner().invoke(args=["tick", "--now", "2026-10-10T08:00"])
    assert result.exit_code == 2 and "time zone" in result.output


def test_a_resubmission_that_came_first_wins_over_the_lapse(seeded, api, returned):
    claim_id = returned(days=3)
    with seeded.app_context():
        version = _claim(seeded, claim_id).version  # what tick read
    set_clock(seeded, "2026-10-09T23:59")
    assert api("ent_huadong").fire(claim_id, "submit").status_code == 200
    with seeded.app_context(), pytest.raises(Conflict) as refused:
        runtime.advance(
            system_user(), claim_id, "lapse", version=version, now=beijing("2026-10-10T00:01")
        )
    assert refused.value.code == "stale_version"
    body = api("ent_huadong").claim(claim_id).json
    assert body["state"] == "submitted"
    assert "lapse" not in [h["trigger"] for h in body["history"]]


def test_a_resubmission_after_the_lapse_is_refused(seeded, api, returned):
    claim_id = returned(days=3)
    version = api("ent_huadong").claim(claim_id).json["version"]
    _tick(seeded, "2026-10-10T00:01+08:00")
    res = api("ent_huadong").fire(claim_id, "submit", version=version)
    assert res.status_code == 409
    assert api("ent_huadong").claim(claim_id).json["state"] == "lapsed"


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.committed  # threads, each on its own connection
def test_resubmission_and_tick_racing_never_both_win(seeded, api, returned):
    """Around midnight: the enterprise's request began on the last day, tick's on the next."""
    claim_id = returned(days=3)
    enterprise_id = db_user_id(seeded, "ent_huadong")
    barrier = threading.Barrier(2)
    results = {}

    def run(name, job):
        with seeded.app_context():
            barrier.wait()
            try:
                results[name] = job()
            except Exception as exc:  # the outcome is what the test checks
                results[name] = exc
            finally:
                db.session.remove()

    def resubmit():
        actor = db.session.get(User, enterprise_id)
        version = _claim(seeded, claim_id).version
        now = beijing("2026-10-09T23:59:59")
        return runtime.advance(actor, claim_id, "submit", version=version, now=now).state

    jobs = {
        "resubmit": resubmit,
        "tick": lambda: lapse_overdue(beijing("2026-10-10T00:00:01")).lapsed,
    }
    threads = [threading.Thread(target=run, args=item) for item in jobs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    body = api("ent_huadong").claim(claim_id).json
    triggers = [h["trigger"] for h in body["history"]]
    assert triggers[:2] == ["submit", "return_for_supplement"]
    assert len(triggers) == 3, (triggers, results)  # exactly one of the two moves
    if triggers[-1] == "submit":
        assert body["state"] == "submitted" and results["tick"] == []  # it found or skipped it
    else:
        assert body["state"] == "lapsed" and isinstance(results["resubmit"], Conflict)


def db_user_id(app, username):
    with app.app_context():
        return db.session.scalar(db.select(User.id).filter_by(username=username))


# Who may lapse a claim ---------------------------------------------------------------------


@pytest.mark.parametrize("username", ["ent_huadong", "reviewer_jmj", "finance", "gov", "admin"])
def test_nobody_but_the_system_may_fire_lapse(seeded, api, returned, username):
    claim_id = returned(days=3)
    set_clock(seeded, "2026-10-12T09:00")  # overdue: only the role stands in the way
    res = api(username).fire(claim_id, "lapse", version=_version(seeded, claim_id))
    assert res.status_code == 403, res.json
    assert "无权执行此操作" in res.json["error"]["message"]
    assert api("ent_huadong").claim(claim_id).json["state"] == "returned"


def _version(app, claim_id):
    with app.app_context():
        return _claim(app, claim_id).version


def test_the_system_account_cannot_sign_in_or_see_claims(seeded, api, returned):
    claim_id = returned(days=3)
    with seeded.app_context():
        system = system_user()
        assert system_user().id == system.id  # one account, created once
        assert authenticate("system", "") is None and authenticate("system", "!") is None
        with pytest.raises(NotFound):
            services.get_visible(system, claim_id)
    res = seeded.test_client().post(
        "/api/v1/auth/token", json={"username": "system", "password": PASSWORD}
    )
    assert res.status_code == 401


def test_create_user_refuses_the_system_role(seeded):
    result = seeded.test_cli_runner().invoke(
        args=[
            "create-user",
            "--username",
            "robot",
            "--password",
            "a-long-password-1",
            "--role",
            "system",
        ]
    )
    assert result.exit_code == 1 and "系统账号不能手工开设" in result.output


def test_the_system_may_not_fire_anything_else(seeded, api, returned):
    claim_id = returned(days=3)
    with seeded.app_context(), pytest.raises(Forbidden, match="无权执行此操作"):
        runtime.advance(system_user(), claim_id, "withdraw", version=_version(seeded, claim_id))
