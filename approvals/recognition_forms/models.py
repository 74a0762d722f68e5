"""The 申请认定表 a department sends to 市财政局（企业科）: the form, the claims it lists, its
steps as audited events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import Department, User

# prepared (经办) → checked (审核) → sent (审批 and issued); a form sent back at either check
# is void (sent_back), for good: its claims are free to be listed on a form prepared again.
STATUSES = ("prepared", "checked", "sent", "sent_back")
LIVE = ("prepared", "checked")  # on its way: its claims are on no other form meanwhile
STEP_ACTIONS = ("prepare", "check", "send", "return")


class RecognitionForm(db.Model):
    __tablename__ = "recognition_forms"
    __table_args__ = (
        # 第N批: a department's sent forms of one call year are numbered 1, 2, … (a form
        # sent later for claims finance sent back, or approved after the first, is a 补报).
        UniqueConstraint("department_id", "call_year", "seq", name="uq_recognition_forms_batch"),
        CheckConstraint(
            "status IN ('prepared', 'checked', 'sent', 'sent_back')", name="known_status"
        ),
        CheckConstraint(
            "(status = 'sent') = (seq IS NOT NULL AND sent_at IS NOT NULL)", name="sent"
        ),
        # 双人把关: three different people prepare, check and approve one form.
        CheckConstraint(
            "checked_by_id IS NULL OR checked_by_id != prepared_by_id", name="four_eyes_check"
        ),
        CheckConstraint(
            "sent_by_id IS NULL OR (sent_by_id != prepared_by_id AND sent_by_id != checked_by_id)",
            name="four_eyes_send",
        ),
        Index("ix_recognition_forms_call_year_department_id", "call_year", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    call_year: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="prepared")
    seq: Mapped[int | None]  # 第N批, given when sent
    prepared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime | None]
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    department: Mapped[Department] = relationship()
    prepared_by: Mapped[User] = relationship(foreign_keys=[prepared_by_id])
    checked_by: Mapped[User | None] = relationship(foreign_keys=[checked_by_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])
    items: Mapped[list[RecognitionFormItem]] = relationship(
        back_populates="form", order_by="RecognitionFormItem.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[RecognitionFormEvent]] = relationship(
        back_populates="form", order_by="RecognitionFormEvent.id", cascade="all, delete-orphan"
    )
    # The notice it was issued as, once sent (the notice points at the form).
    notice = relationship(
        "Notice",
        primaryjoin="Notice.recognition_form_id == RecognitionForm.id",
        foreign_keys="Notice.recognition_form_id",
        uselist=False,
        viewonly=True,
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def batch_name(self) -> str:
        return f"第{self.seq}批" if self.seq else ""


class RecognitionFormItem(db.Model):
    """One claim as the form lists it: its amount and opinion frozen when the form was made."""

    __tablename__ = "recognition_form_items"
    __table_args__ = (
        UniqueConstraint("form_id", "claim_id", name="uq_recognition_form_items_form_claim"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("recognition_forms.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    approved_amount: Mapped[Decimal | None]
    opinion: Mapped[str] = mapped_column(Text, default="")
    # Set when the form's sending moved the claim on to finance (forward_to_finance).
    forwarded_at: Mapped[datetime | None]

    form: Mapped[RecognitionForm] = relationship(back_populates="items")
    claim = relationship("Claim")


class RecognitionFormEvent(db.Model):
    """Who took which step of the form, when, and what they wrote: the form's audit trail."""

    __tablename__ = "recognition_form_events"
    __table_args__ = (
        CheckConstraint("action IN ('prepare', 'check', 'send', 'return')", name="known_action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("recognition_forms.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    position: Mapped[str | None] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(Text, default="")

    form: Mapped[RecognitionForm] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()
