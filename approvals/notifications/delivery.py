"""Sending recorded messages after the commit, and again until they go or the cap is reached.

Where it runs: right after the step's commit (`deliver_recorded`, called by
`approvals.db.transaction`), by a Celery worker when a task queue is configured, else in
the same process. A failure (the SMTP server refuses or is down, the gateway answers 5xx)
is recorded on the delivery and never reaches the step, which has committed already.
`flask --app approvals deliver-pending` (and `flask tick`) retries what is left, each
delivery after a backoff (1, 2, 4 … minutes) and at most `NOTIFY_MAX_ATTEMPTS` times.

Why an attempt is claimed first: two deliverers (the after-commit one and a tick, two
workers) must not both send one e-mail. The claim is one UPDATE that only one of them wins,
committed before the slow send, so no row stays locked while a server answers; a deliverer
that dies mid-send leaves the delivery to be retried once its backoff has passed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, inspect, or_, select, update
from sqlalchemy.orm import Session

from approvals.clock import current_time
from approvals.extensions import db
from approvals.notifications import channels
from approvals.notifications.models import EMAIL, FAILED, PENDING, SENT, ChannelChoice, Delivery
from approvals.notifications.record import CHANNELS_READ, QUEUED

log = logging.getLogger(__name__)
DELIVER_JOB = "deliver_messages"
# How long a claimed attempt keeps others off: longer than an SMTP or gateway timeout.
IN_FLIGHT = timedelta(minutes=1)


def _cap() -> int:
    return int(current_app.config["NOTIFY_MAX_ATTEMPTS"])


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2 ** max(attempts - 1, 0))


def _due(now: datetime):
    return (
        Delivery.status.in_((PENDING, FAILED)),
        Delivery.attempts < _cap(),
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
    )


def _claim_attempt(delivery_id: int, now: datetime) -> bool:
    """Count the attempt and hold the delivery off other deliverers while it is tried; False
    when it is sent, capped, not due, or claimed by another deliverer meanwhile (on
    PostgreSQL the loser's UPDATE waits for the winner's and then finds it not due)."""
    won = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, *_due(now))
        .values(attempts=Delivery.attempts + 1, next_attempt_at=now + IN_FLIGHT)
    ).rowcount
    db.session.commit()
    return bool(won)


def _address(delivery: Delivery) -> str | None:
    """Where the enterprise wants it now: an address changed since the step is honoured;
    None when the enterprise has turned the channel off since."""
    enterprise_id = delivery.message.recipient.enterprise_id
    choice = db.session.get(ChannelChoice, enterprise_id) if enterprise_id else None
    if choice is None or delivery.channel not in choice.channels:
        return None
    return choice.email_address if delivery.channel == EMAIL else choice.sms_phone


def deliver_one(delivery_id: int, now: datetime | None = None) -> bool | None:
    """Try one delivery: True sent, False failed (recorded), None not tried (sent already,
    capped, not yet due, or taken by another deliverer)."""
    now = now or current_time()
    if not _claim_attempt(delivery_id, now):
        return None
    delivery = db.session.get(Delivery, delivery_id)
    channel, attempts, address = delivery.channel, delivery.attempts, _address(delivery)
    message_id, subject, body = delivery.message_id, delivery.message.subject, delivery.message.body
    db.session.rollback()  # nothing is held open while the server answers
    if address is None:  # turned off: not sent, and not tried again
        values = {"status": FAILED, "attempts": _cap(), "last_error": f"{channel} turned off"}
        db.session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))
        db.session.commit()
        return False
    error = ""
    try:
        channels.SENDERS[channel](address, subject, body)
    except Exception as exc:  # noqa: BLE001 — any failure is the delivery's, not the step's
        error = f"{type(exc).__name__}: {exc}"[:500]
        log.warning("message %s by %s not delivered: %s", message_id, channel, error)
    values = {"address": address[:254], "last_error": error}
    if error:
        values.update(status=FAILED, next_attempt_at=now + _backoff(attempts))
    else:
        values.update(status=SENT, sent_at=current_time(), next_attempt_at=None)
    db.session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))
    db.session.commit()
    return not error


def deliver_ids(delivery_ids: list[int]) -> int:
    """The queue's job (approvals/worker.py): try these deliveries; how many were sent."""
    sent = 0
    for delivery_id in delivery_ids:
        try:
            sent += bool(deliver_one(delivery_id))
        except Exception:  # noqa: BLE001 — one bad delivery does not stop the rest
            db.session.rollback()
            log.exception("delivery %s left for deliver-pending", delivery_id)
    return sent


def deliver_recorded(session: Session) -> None:
    """After a commit: send what the transaction recorded. It stays pending for
    `deliver-pending` if this fails or the process dies first; the step stands."""
    session.info.pop(CHANNELS_READ, None)
    queued = session.info.pop(QUEUED, [])
    # Their ids from the identity map: reading `.id` of an expired row would load it again.
    ids = [key.identity[0] for key in map(inspect, queued) if key.identity]
    if not ids:
        return
    if current_app.config.get("CELERY_BROKER_URL"):
        from approvals.worker import enqueue

        if enqueue(DELIVER_JOB, ids):
            return
    deliver_ids(ids)


def forget_recorded(session: Session) -> None:
    """After a rollback: its messages are gone with it."""
    session.info.pop(QUEUED, None)
    session.info.pop(CHANNELS_READ, None)


def deliver_pending(now: datetime | None = None, limit: int | None = None) -> tuple[int, int]:
    """Retry every due delivery, oldest first: (sent, failed)."""
    now = now or current_time()
    stmt = select(Delivery.id).where(*_due(now)).order_by(Delivery.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    ids = list(db.session.scalars(stmt))
    db.session.rollback()
    sent = failed = 0
    for delivery_id in ids:
        try:
            done = deliver_one(delivery_id, now)
        except Exception:  # noqa: BLE001
            db.session.rollback()
            log.exception("delivery %s left for the next try", delivery_id)
            done = False
        sent += done is True
        failed += done is False
    return sent, failed


def left() -> int:
    """Deliveries not sent that will still be tried (under the cap)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.status.in_((PENDING, FAILED)), Delivery.attempts < _cap())
    )
