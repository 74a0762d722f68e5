"""Notice: its number, verification code and facts, written in the transition's
transaction; its PDF (NoticeFile), rendered from those facts after the commit (the outbox,
approvals/notices/outbox.py) and stored once. A notice without its file is pending."""

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
        # department's 申请认定表 (approvals/recognition_forms), or a 公示通知
        # (approvals/publicity), or a 督办通知 (approvals/supervision).
        CheckConstraint(
            "(claim_id IS NOT NULL AND event_id IS NOT NULL AND batch_id IS NULL"
            " AND recognition_form_id IS NULL AND publicity_id IS NULL"
            " AND supervision_id IS NULL)"
            " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NOT NULL"
            " AND recognition_form_id IS NULL AND publicity_id IS NULL"
            " AND supervision_id IS NULL)"
            " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
            " AND recognition_form_id IS NOT NULL AND publicity_id IS NULL"
            " AND supervision_id IS NULL)"
            " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
            " AND recognition_form_id IS NULL AND publicity_id IS NOT NULL"
            " AND supervision_id IS NULL)"
            " OR (claim_id IS NULL AND event_id IS NULL AND batch_id IS NULL"
            " AND recognition_form_id IS NULL AND publicity_id IS NULL"
            " AND supervision_id IS NOT NULL)",
            name="of_a_claim_or_one_document",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("claim_events.id"), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), unique=True)
    recognition_form_id: Mapped[int | None] = mapped_column(
        ForeignKey("recognition_forms.id"), unique=True
    )
    publicity_id: Mapped[int | None] = mapped_column(ForeignKey("publicities.id"), unique=True)
    supervision_id: Mapped[int | None] = mapped_column(ForeignKey("supervisions.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(64), unique=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    facts: Mapped[dict] = mapped_column(db.JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A link of its claim's hash chain after its event, or a document's own chain
    # (approvals.audit.chain); the hash covers the facts the PDF is rendered from.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    department: Mapped[Department] = relationship()
    # Loaded with the notice (its bytes deferred): every list of notices shows its status.
    file: Mapped[NoticeFile | None] = relationship(back_populates="notice", lazy="joined")

    @property
    def status(self) -> str:
        return ISSUED if self.file is not None else PENDING

    @property
    def sha256(self) -> str | None:
        return self.file.sha256 if self.file is not None else None

    @property
    def size(self) -> int | None:
        return self.file.size if self.file is not None else None

    @property
    def all_facts(self) -> dict:
        """A claim's notice's facts with every field, those left at their default included
        (they are not stored: approvals/notices/facts.py `facts_to_json`)."""
        from approvals.notices.facts import full_facts

        return full_facts(self.facts)

    @property
    def pdf(self) -> bytes | None:
        return self.file.pdf if self.file is not None else None


PENDING, ISSUED = "pending", "issued"  # 正在生成, 已印发


class NoticeFile(db.Model):
    """A notice's PDF, rendered from its facts and written once (append-only, like the
    notice). Its own link after its notice's (approvals.audit.chain): the hash covers the
    PDF's SHA-256 and size."""

    __tablename__ = "notice_files"

    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    # Loaded only when the PDF itself is asked for.
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    rendered_at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    notice: Mapped[Notice] = relationship(back_populates="file")


class NoticeSequence(db.Model):
    """The last number issued per department and year; its row lock keeps numbers gapless."""

    __tablename__ = "notice_sequences"

    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
