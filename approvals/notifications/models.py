"""Message (站内信), its Deliveries by e-mail and SMS, and an enterprise's ChannelChoice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import utcnow
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User

# The channels a message leaves the system by. The inbox is no row here: the message is its
# inbox delivery, there from the commit on, and read or not (`read_at`).
EMAIL, SMS = "email", "sms"
CHANNELS = (EMAIL, SMS)
PENDING, SENT, FAILED = "pending", "sent", "failed"
STATUSES = (PENDING, SENT, FAILED)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Message(db.Model):
    """One message to one user: what a step of their claim means to them, in their inbox."""

    __tablename__ = "messages"
    __table_args__ = (
        # The inbox reads newest first; the header counts the unread.
        Index("ix_messages_recipient_id_id", "recipient_id", "id"),
        Index("ix_messages_recipient_id_read_at", "recipient_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    # The notice the step issued, when the message tells of one (its PDF is on the claim page).
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship()
    notice: Mapped[Notice | None] = relationship()
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="message", order_by="Delivery.id", cascade="all, delete-orphan"
    )


class Delivery(db.Model):
    """One channel of one message: pending until sent, failed (and retried, up to a cap)
    when the SMTP server or the SMS gateway did not take it."""

    __tablename__ = "message_deliveries"
    __table_args__ = (
        CheckConstraint(_in("channel", CHANNELS), name="channel_known"),
        CheckConstraint(_in("status", STATUSES), name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_at_iff_sent"),
        UniqueConstraint("message_id", "channel"),
        # `deliver-pending` reads what is left, oldest first.
        Index("ix_message_deliveries_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    channel: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default=PENDING, server_default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Where it went (or was tried): the enterprise's choice at the time of the attempt.
    address: Mapped[str] = mapped_column(String(254), default="", server_default="")
    last_error: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Not retried before this time (a backoff); None: at once.
    next_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]

    message: Mapped[Message] = relationship(back_populates="deliveries")


class ChannelChoice(db.Model):
    """The channels an enterprise chose in its profile, besides the inbox (always on)."""

    __tablename__ = "channel_choices"
    __table_args__ = (
        CheckConstraint("NOT email OR email_address <> ''", name="email_has_address"),
        CheckConstraint("NOT sms OR sms_phone <> ''", name="sms_has_phone"),
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), primary_key=True)
    email: Mapped[bool] = mapped_column(default=False)
    email_address: Mapped[str] = mapped_column(String(254), default="")
    sms: Mapped[bool] = mapped_column(default=False)
    sms_phone: Mapped[str] = mapped_column(String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(c for c in CHANNELS if getattr(self, c))
