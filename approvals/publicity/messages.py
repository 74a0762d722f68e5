"""What publicity tells whom, as messages (approvals/notifications): the enterprise that its
claim is published and how an objection to it was settled; the claim's department that an
objection waits for it. Recorded in the step's transaction, sent after its commit."""

from __future__ import annotations

from sqlalchemy import select

from approvals.extensions import db
from approvals.notifications.models import ChannelChoice
from approvals.notifications.record import record
from approvals.organisations.models import User


def _claimant(claim) -> int | None:
    """The enterprise's user who speaks for the claim: its filer, or for a claim an official
    filed on its behalf (全程代办) the user who consented; else its first active user."""
    if claim.agent_id is None and claim.created_by_id is not None:
        return claim.created_by_id
    if claim.agency_consent_by_id is not None:
        return claim.agency_consent_by_id
    return db.session.scalar(
        select(User.id)
        .where(User.enterprise_id == claim.enterprise_id, User.active)
        .order_by(User.id)
        .limit(1)
    )


def to_enterprise(claim, subject: str, body: str, at, notice=None) -> None:
    recipient = _claimant(claim)
    if recipient is None:
        return
    choice = db.session.get(ChannelChoice, claim.enterprise_id)
    channels = choice.channels if choice else ()
    record(recipient, subject, body, channels, at=at, claim_id=claim.id, notice=notice)


def to_department(department_id: int, subject: str, body: str, at, claim_id: int) -> None:
    """In the inbox of every active reviewer of the department: whoever is on duty acts."""
    reviewers = db.session.scalars(
        select(User.id).where(
            User.role == "reviewer", User.department_id == department_id, User.active
        )
    )
    for user_id in reviewers:
        record(user_id, subject, body, (), at=at, claim_id=claim_id)


def published(claim, publicity, notice, at) -> None:
    to_enterprise(
        claim,
        f"申报{claim.number}已列入公示",
        f"您单位申报的“{claim.project_title}”已列入{notice.number}公示，公示期"
        f"{publicity.starts_on:%Y-%m-%d}至{publicity.ends_on:%Y-%m-%d}。"
        "公示期满且无异议后按程序拨付资金。",
        at,
        notice=notice,
    )


def objection_lodged(objection, claim, at) -> None:
    to_department(
        objection.department_id,
        f"公示异议待处理：{claim.number}",
        f"{claim.enterprise.name}申报的“{claim.project_title}”在公示期间收到异议"
        f"（{objection.reference}），请核实处理；处理前该申报不能拨付。",
        at,
        claim.id,
    )


def objection_settled(objection, claim, at) -> None:
    department = objection.department.name
    if objection.status == "upheld":
        subject = f"申报{claim.number}公示异议成立，退回重新审核"
        outcome = f"经{department}核实，异议成立，该申报退回重新审核。"
    else:
        subject = f"申报{claim.number}公示异议不成立"
        outcome = f"经{department}核实，异议不成立。公示期满后按程序拨付资金。"
    to_enterprise(
        claim,
        subject,
        f"您单位申报的“{claim.project_title}”在公示期间收到异议（{objection.reference}）。"
        f"{outcome}处理意见：{objection.resolution}",
        at,
    )
