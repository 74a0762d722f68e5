"""Recording a message in the step's own transaction: one row in the inbox, one delivery row
per channel the enterprise chose; nothing is sent here (approvals/notifications/delivery.py
sends after the commit).

Why in the transaction: the message stands or falls with the move it tells of, so no
enterprise is told of a move that was rolled back, and none misses one that committed.
Why so little: the door of a plain move is counted (tests/workflow/test_lean_door.py). The
enterprise's channels are read with the claim in the door's one statement (`also_read`,
approvals/claims/history.py) and the recipient is a column of the claim, so recording costs
the INSERT of the message, and of its deliveries when the enterprise chose e-mail or SMS.
"""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.notifications.models import CHANNELS, EMAIL, SMS, ChannelChoice, Delivery, Message
from approvals.notifications.wording import for_step
from approvals.organisations.models import User

QUEUED = "approvals.messages_to_deliver"  # session.info: this transaction's new deliveries
CHANNELS_READ = "approvals.channels_read"  # session.info: claim id → channel mask, as read
_BITS = {EMAIL: 1, SMS: 2}


def channels_of_claimant(claim_id_column):
    """The claimant's chosen channels as a bit mask, a column of the door's read of the claim
    (a scalar subquery; 0 when the enterprise chose none)."""
    mask = (
        select(
            case((ChannelChoice.email, _BITS[EMAIL]), else_=0)
            + case((ChannelChoice.sms, _BITS[SMS]), else_=0)
        )
        .where(ChannelChoice.enterprise_id == Claim.enterprise_id)
        .correlate(Claim)
        .scalar_subquery()
    )
    return func.coalesce(mask, 0)


def remember_channels(session: Session, claim, mask) -> None:
    session.info.setdefault(CHANNELS_READ, {})[claim.id] = int(mask or 0)


def _channels(claim) -> tuple[str, ...]:
    mask = db.session.info.get(CHANNELS_READ, {}).pop(claim.id, None)
    if mask is None:  # the claim came by another read than the door's: one SELECT
        choice = db.session.get(ChannelChoice, claim.enterprise_id)
        return choice.channels if choice else ()
    return tuple(c for c in CHANNELS if mask & _BITS[c])


def _recipient(claim, actor) -> int | None:
    """The claimant's user: the one who filed the claim; for a claim an official filed on
    its behalf (全程代办), the user who consented to it."""
    if claim.agent_id is None:
        return claim.created_by_id
    if claim.agency_consent_by_id is not None:
        return claim.agency_consent_by_id
    if actor.role == "enterprise" and actor.enterprise_id == claim.enterprise_id:
        return actor.id
    return db.session.scalar(
        select(User.id)
        .where(User.enterprise_id == claim.enterprise_id, User.active)
        .order_by(User.id)
        .limit(1)
    )


def record_for_step(step, notice) -> Message | None:
    """After a move's notice is issued (approvals/notices/issue.py `on_issue`): the
    claimant's message about it, in the move's transaction."""
    claim = step.subject
    spec = step.engine.spec
    wording = for_step(
        claim,
        notice,
        spec=spec,
        source=step.source,
        state_label=spec.label(step.transition.dest),
        comment=step.values.get("comment"),
    )
    if wording is None:
        return None
    recipient_id = _recipient(claim, step.actor)
    if recipient_id is None:
        return None
    return record(
        recipient_id,
        wording.subject,
        wording.body,
        _channels(claim),
        claim_id=claim.id,
        notice=notice,
        at=step.now,
    )


def record(recipient_id: int, subject: str, body: str, channels, *, at, claim_id=None, notice=None):
    """A message to `recipient_id`, pending on `channels`, inside the caller's transaction;
    sent once it commits."""
    message = Message(
        recipient_id=recipient_id,
        claim_id=claim_id,
        notice=notice,
        subject=subject,
        body=body,
        created_at=at,
        deliveries=[Delivery(channel=channel) for channel in channels],
    )
    db.session.add(message)
    db.session.info.setdefault(QUEUED, []).extend(message.deliveries)
    return message
