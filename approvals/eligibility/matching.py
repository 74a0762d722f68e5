"""Telling enterprises that a clause they match has opened (政策匹配推送).

The trigger is a timer row (approvals/workflow/timers.py), one per (clause, opening day):
whenever a clause with conditions is written with a new window or new conditions, by the
administrator's pages, the API, seeding or a command, the session's flush schedules it for
the first instant of its opening day (Beijing time); `flask tick` (or Celery beat) fires it
then, or at its next run when the clause was created already open. Firing judges every
enterprise with profile facts against the clause and tells each one that qualifies, once:
a row per (clause, enterprise) told (ClauseMatch, unique), in the firing's transaction, with
its message (approvals/notifications/record.py: the inbox and the enterprise's channels).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import event, exists, inspect, or_, select
from sqlalchemy.orm import Session

from approvals.clock import LOCAL
from approvals.eligibility import calculator, profile
from approvals.eligibility.conditions import QUALIFIES, judge, verdict
from approvals.eligibility.models import ClauseMatch, EnterpriseFacts, Qualification, YearFigures
from approvals.extensions import db
from approvals.notifications.models import ChannelChoice
from approvals.notifications.record import record
from approvals.organisations.models import Enterprise, User
from approvals.policies.models import Policy
from approvals.workflow import timers
from approvals.workflow.deadlines import after
from approvals.workflow.registry import CATALOG

KIND = "eligibility.opened"


def opening_at(policy: Policy) -> datetime:
    """The first instant of the clause's opening day, Beijing time."""
    return after(policy.window_open - timedelta(days=1))


def _key(policy: Policy) -> str:
    return f"{policy.id}:{policy.window_open:%Y%m%d}"


def _after_flush(session: Session, _context) -> None:
    cat = current_app.extensions.get(CATALOG) if has_app_context() else None
    if cat is None or KIND not in cat.timers:
        return
    for policy in [o for o in (*session.new, *session.dirty) if isinstance(o, Policy)]:
        if not policy.eligibility:
            continue
        attrs = inspect(policy).attrs
        if policy in session.new or any(
            attrs[name].history.has_changes() for name in ("window_open", "eligibility")
        ):
            timers.schedule(
                KIND,
                _key(policy),
                opening_at(policy),
                payload={"policy_id": policy.id, "opens": policy.window_open.isoformat()},
            )


def _candidates(policy: Policy):
    """Enterprises of the clause's claimant types with profile facts, not yet told of it."""
    has_facts = or_(
        *(
            exists().where(model.enterprise_id == Enterprise.id)
            for model in (EnterpriseFacts, Qualification, YearFigures)
        )
    )
    told = exists().where(
        ClauseMatch.policy_id == policy.id, ClauseMatch.enterprise_id == Enterprise.id
    )
    return db.session.scalars(
        select(Enterprise)
        .where(Enterprise.claimant_type.in_(policy.claimant_types or ["enterprise"]))
        .where(has_facts, ~told)
        .order_by(Enterprise.id)
    ).all()


def _wording(policy: Policy, outcomes, computed) -> tuple[str, str]:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    met = "；".join(o.text for o in outcomes)
    amount = f"估算金额：{computed.text}。" if computed is not None else ""
    subject = f"新开放的政策条款与贵单位相符：{policy.title_zh}"
    body = (
        f"“{policy.title_zh}”（{policy.code}）已开放申报，申报期 {policy.window_open.isoformat()}"
        f" 至 {policy.window_close.isoformat()}。按企业档案，贵单位符合其资格条件：{met}。"
        f"{amount}起草申报（按企业档案预填）：{base}/calculator/claim/{policy.code}；"
        f"申兑指南：{base}/guides/{policy.code}"
    )
    return subject, body


def tell_matching(policy: Policy, now: datetime) -> int:
    """Tell every enterprise that qualifies for the open clause, once; how many were told."""
    today = now.astimezone(LOCAL).date()
    told = 0
    for enterprise in _candidates(policy):
        facts = profile.facts_of(enterprise.id)
        outcomes = judge(policy.eligibility, facts, today)
        if verdict(outcomes) != QUALIFIES:
            continue
        recipient = db.session.scalar(
            select(User.id)
            .where(User.enterprise_id == enterprise.id, User.active)
            .order_by(User.id)
            .limit(1)
        )
        message = None
        if recipient is not None:
            computed = None
            if not policy.is_recognition:
                computed, _inputs = calculator.estimate(policy, facts, {}, today)
            choice = db.session.get(ChannelChoice, enterprise.id)
            subject, body = _wording(policy, outcomes, computed)
            message = record(recipient, subject, body, choice.channels if choice else (), at=now)
            db.session.flush()
        db.session.add(
            ClauseMatch(
                policy_id=policy.id,
                enterprise_id=enterprise.id,
                message_id=message.id if message else None,
                told_at=now,
            )
        )
        told += 1
    return told


def fire_opened(timer, now: datetime) -> str:
    policy = db.session.get(Policy, timer.payload.get("policy_id"))
    if policy is None:
        return "obsolete: the clause is gone"
    if policy.window_open.isoformat() != timer.payload.get("opens"):
        return f"obsolete: {policy.code} now opens on {policy.window_open.isoformat()}"
    if not policy.window_is_open(now.astimezone(LOCAL).date()):
        return f"{policy.code}: not open"
    if not policy.eligibility:
        return f"{policy.code}: no conditions"
    return f"{policy.code}: told {tell_matching(policy, now)}"


def register(cat) -> None:
    cat.timer(KIND, fire_opened)
    # On the Session class, once per process (as approvals/policies/versions.py does).
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
