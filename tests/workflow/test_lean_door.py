"""The door, lean (issue 14): a plain move reads the claim in one or two statements, numbers
its notice in one, updates the claim once and writes its event: at most six statements, one
version number per move, and the audit chain unbroken. A move that tells the enterprise
(issue 15) writes its inbox message too: one INSERT more, in the same transaction, so that
a move never happens untold. A move into an officials' step with a deadline schedules its
step timers (the reminders and the 督办) in one INSERT more."""

from __future__ import annotations

from sqlalchemy import event, select

from approvals.audit.check import AuditReport, check_claims
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow.runtime import advance

RETURN = {"comment": "请补充近三年审计报告", "supplement_days": 14}


class Statements:
    """The statements the session sends until its transaction commits (what the notice's
    rendering sends after the commit is the outbox's, not the door's)."""

    def __init__(self):
        self.seen: list[str] = []
        self.open = True

    def executed(self, conn, cursor, statement, parameters, context, executemany):
        # A savepoint is the test harness's (each test's transaction), not the app's.
        if self.open and "SAVEPOINT" not in statement:
            self.seen.append(statement[:120])

    def committed(self, session):
        self.open = False


def _count(move) -> Statements:
    recorder = Statements()
    event.listen(db.engine, "before_cursor_execute", recorder.executed)
    event.listen(db.session(), "after_commit", recorder.committed)
    try:
        move()
    finally:
        event.remove(db.engine, "before_cursor_execute", recorder.executed)
        event.remove(db.session(), "after_commit", recorder.committed)
    return recorder


def _official(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    user.department  # noqa: B018  (as the request's user loader leaves it, before the door)
    return user


def _move(app, username, ref, trigger, **payload) -> Statements:
    with app.app_context():
        db.session.commit()  # a request starts with nothing pending
        actor = _official(username)
        return _count(lambda: advance(actor, ref.id, trigger, version=ref.version, **payload))


def _chain_ok(app, *claim_ids) -> None:
    with app.app_context():
        report = AuditReport()
        check_claims(report, list(claim_ids))
        assert report.ok, report.breaks


def _version(app, claim_id) -> int:
    with app.app_context():
        return db.session.get(Claim, claim_id).version


def test_a_return_for_supplement_takes_six_statements_and_its_message_and_one_version(
    app, make_claim
):
    # The first move of a process reads the calendar and the city offices' names once.
    warm, ref = make_claim("submitted"), make_claim("submitted")
    _move(app, "reviewer_jmj", warm, "return_for_supplement", **RETURN)
    seen = _move(app, "reviewer_jmj", ref, "return_for_supplement", **RETURN).seen
    message = [s for s in seen if s.startswith("INSERT INTO messages")]
    assert len(message) == 1, seen  # the 补正 message in the enterprise's inbox
    assert len(seen) - len(message) <= 6, "\n".join(seen)
    assert sum(s.startswith("SELECT") for s in seen) <= 2, seen
    assert sum(s.startswith("UPDATE") for s in seen) == 1, seen  # the upsert numbers
    assert _version(app, ref.id) == ref.version + 1
    _chain_ok(app, warm.id, ref.id)


def test_a_send_back_into_a_step_with_a_deadline_schedules_its_timers_in_one_statement(
    app, make_claim
):
    # Entering an officials' step with a deadline (待初审, due by the end of February)
    # schedules its step timers (approvals/supervision: the reminder, the head's message,
    # the 督办), one row per kind for the department's deadline, in one INSERT … ON CONFLICT
    # DO NOTHING: exactly one statement more than the plain move's six, whatever the number
    # of kinds, and a no-op row when the department's deadline is scheduled already. (The
    # return for supplement above enters the enterprise's step, which has no such timers.)
    warm, ref = make_claim("finance_review"), make_claim("finance_review")
    _move(app, "finance", warm, "finance_send_back", comment="请部门重新审核")
    seen = _move(app, "finance", ref, "finance_send_back", comment="请部门重新审核").seen
    timers = [s for s in seen if s.startswith("INSERT INTO timers")]
    assert len(timers) == 1, seen
    assert len(seen) - len(timers) <= 6, "\n".join(seen)
    assert sum(s.startswith("SELECT") for s in seen) <= 2, seen
    assert sum(s.startswith("UPDATE") for s in seen) == 1, seen
    assert _version(app, ref.id) == ref.version + 1
    _chain_ok(app, warm.id, ref.id)


def test_disbursing_bumps_the_version_once(app, make_claim):
    ref = make_claim("approved")
    _move(app, "finance", ref, "disburse", payment_reference="REF-LEAN-1")
    assert _version(app, ref.id) == ref.version + 1
    _chain_ok(app, ref.id)
