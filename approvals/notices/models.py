"""Notice: an issued PDF, its number and verification code; never re-rendered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import Department


class Notice(db.Model):
    __tablename__ = "notices"
    __table_args__ = (
        UniqueConstraint("department_id", "year", "seq", name="uq_notices_department_year_seq"),
        # A notice records a claim's transition, or it is a payout batch's list, or a
        # department's 申请认定表 (approvals/recognition_forms).
        CheckConstraint(
            "(claim_id IS NOT NULL AND event_id IS NOT NULL AND batch_id IS NULL"
            " AND recognition_form_id IS NULL)"
            " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NOT NULL"
            " AND recognition_form_id IS NULL)"
            " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
            " AND recognition_form_id IS NOT NULL)",
            name="of_a_claim_a_batch_or_a_form",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("claim_events.id"), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), unique=True)
    recognition_form_id: Mapped[int | None] = mapped_column(
        ForeignKey("recognition_forms.id"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(64), unique=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    # Loaded only when the PDF itself is asked for.
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    facts: Mapped[dict] = mapped_column(db.JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A link of its claim's hash chain after its event, or a batch list's own chain
    # (approvals.audit.chain); the hash covers the PDF's SHA-256.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    department: Mapped[Department] = relationship()


class NoticeSequence(db.Model):
    """The last number issued per department and year; its row lock keeps numbers gapless."""

    __tablename__ = "notice_sequences"

    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
