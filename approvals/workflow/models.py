"""The workflow's own rows: calendar exceptions, and the review tasks a state opens.

Review tasks live here, beside the engine that opens and counts them (`rounds.py`,
`tasks.py`), not in claims/: the workflow package imports no feature, so its rows point at
the claims, departments and users by table name (foreign keys) and by class name
(relationships), never by import.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals import limits
from approvals.db import utcnow
from approvals.extensions import db

if TYPE_CHECKING:
    from approvals.organisations.models import Department, User

TASK_STATUSES = ("open", "claimed", "done")
# 同意, 不同意, 退回: a disagreement or a return gives its reason.
TASK_DECISIONS = ("agree", "disagree", "return")


class CalendarDay(db.Model):
    """A day whose working status differs from the official calendar or the weekend rule."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(64), default="")


class ReviewTask(db.Model):
    """One party's part in deciding a claim while it is in `state`: a department's (its
    officials of `role`) or a role's. Each entry into the state opens a new `round`; the
    tasks of earlier rounds stay as history. Once done, the row is the record of the
    decision and is never changed again (approvals/audit/decided_tasks.py)."""

    __tablename__ = "review_tasks"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'claimed', 'done')", name="status_known"),
        CheckConstraint(
            "decision IS NULL OR decision IN ('agree', 'disagree', 'return')",
            name="decision_known",
        ),
        CheckConstraint(
            "(status = 'done') = (decision IS NOT NULL"
            " AND decided_by_id IS NOT NULL AND decided_at IS NOT NULL)",
            name="decided_iff_done",
        ),
        CheckConstraint(
            "decision IS NULL OR decision = 'agree' OR (opinion IS NOT NULL AND opinion <> '')",
            name="disagreement_gives_reason",
        ),
        CheckConstraint("status <> 'claimed' OR assignee_id IS NOT NULL", name="claimed_held"),
        CheckConstraint("round >= 1", name="round_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
        # One task per department in a round of a state; its index also finds a claim's
        # rounds (claim, state, round).
        UniqueConstraint(
            "claim_id", "state", "round", "department_id", name="uq_review_tasks_round_department"
        ),
        # A department's work list.
        Index("ix_review_tasks_department_id_status", "department_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    state: Mapped[str] = mapped_column(String(limits.STATE))  # the state entered
    round: Mapped[int]  # which entry into that state, from 1
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    role: Mapped[str] = mapped_column(String(16))  # the role that acts on it
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    decision: Mapped[str | None] = mapped_column(String(8))
    opinion: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship("Department")
    assignee: Mapped[User | None] = relationship("User", foreign_keys=[assignee_id])
    decided_by: Mapped[User | None] = relationship("User", foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}
