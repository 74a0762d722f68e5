"""The enterprise's document library (材料库) and the answers to an itemised 补正."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals import limits
from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import User

REPLY_MAX = 200  # an answer's short reply to one 补正 item
ITEM_KEY_MAX = 40  # an evidence kind's code, or file-<attachment id>


class LibraryDocument(db.Model):
    """One version of an enterprise's document (营业执照, 认定证书, 审计报告, …), stored once
    under its SHA-256 like any evidence. Replacing it adds a version and marks this one
    superseded; claims that attached this version keep it, as they were submitted."""

    __tablename__ = "library_documents"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        # The library page and a claim's offer read an enterprise's documents by kind.
        Index("ix_library_documents_enterprise_id_kind", "enterprise_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    kind: Mapped[str] = mapped_column(String(limits.ATTACHMENT_KIND))
    filename: Mapped[str] = mapped_column(String(limits.ATTACHMENT_FILENAME))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    valid_until: Mapped[date | None]  # the last day it is valid (Beijing date); None: no end
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("library_documents.id"))
    superseded_at: Mapped[datetime | None]

    uploaded_by: Mapped[User] = relationship()

    def expired(self, today: date) -> bool:
        return self.valid_until is not None and self.valid_until < today


class SupplementAnswer(db.Model):
    """The enterprise's answer to one item of an itemised 补正 (the return's event lists the
    items): the file attached for it, from an upload or the library, and a short reply."""

    __tablename__ = "supplement_answers"
    __table_args__ = (
        UniqueConstraint("event_id", "item_key", name="uq_supplement_answers_event_id_item_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("claim_events.id"))
    item_key: Mapped[str] = mapped_column(String(ITEM_KEY_MAX))
    reply: Mapped[str] = mapped_column(String(REPLY_MAX), default="")
    # The file removed again from the claim leaves the item answered by its reply alone.
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def given(self) -> bool:
        return bool(self.reply) or self.attachment_id is not None
