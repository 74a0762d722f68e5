"""A 督办通知 (supervision notice): 市府办's numbered notice to the office that let a step's
deadline pass, and the overdue claims it lists, as they stood when it was issued."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals import limits
from approvals.db import utcnow
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import Department


class Supervision(db.Model):
    """One 督办通知: issued by the escalation timer of a (department, workflow, state,
    deadline), addressed to the office that must act in that state (`department`)."""

    __tablename__ = "supervisions"
    __table_args__ = (
        # The page of a department lists its own, newest first.
        Index("ix_supervisions_department_id_id", "department_id", "id"),
        CheckConstraint("claim_count >= 1", name="lists_a_claim"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One notice per timer, whatever the number of ticks that reach it.
    timer_id: Mapped[int] = mapped_column(ForeignKey("timers.id"), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # addressee
    workflow: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(limits.STATE))
    deadline: Mapped[datetime]  # the step's due_at the claims missed
    claim_count: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department] = relationship()
    items: Mapped[list[SupervisionItem]] = relationship(
        back_populates="supervision", order_by="SupervisionItem.id", cascade="all, delete-orphan"
    )
    # Its numbered notice (notices.supervision_id), issued with it.
    notice: Mapped[Notice | None] = relationship(
        primaryjoin="Notice.supervision_id == Supervision.id",
        foreign_keys="Notice.supervision_id",
        uselist=False,
        viewonly=True,
    )


class SupervisionItem(db.Model):
    """One overdue claim a 督办通知 lists."""

    __tablename__ = "supervision_items"
    __table_args__ = (
        UniqueConstraint("supervision_id", "claim_id", name="uq_supervision_items_claim"),
        CheckConstraint("days_overdue >= 0", name="days_overdue_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    supervision_id: Mapped[int] = mapped_column(ForeignKey("supervisions.id"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    days_overdue: Mapped[int]

    supervision: Mapped[Supervision] = relationship(back_populates="items")
    claim = relationship("Claim")
