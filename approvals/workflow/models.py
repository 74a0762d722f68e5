"""The workflow's own rows: calendar exceptions, and the review tasks a state opens.

Review tasks live here, beside the engine that opens and counts them (`rounds.py`,
`tasks.py`), not in claims/: the workflow package imports no feature, so its rows point at
the claims, departments and users by table name (foreign keys) and by class name
(relationships), never by import.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
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
        # A claim's rounds (claim, state, round). A round may hold several tasks of one
        # department (the steps of its sign-off chain, a step prepared again), so nothing
        # here is unique: the claim's row lock orders the writers (tasks.py).
        Index("ix_review_tasks_claim_id_state_round", "claim_id", "state", "round"),
        CheckConstraint(
            "on_behalf_of_id IS NULL OR decided_by_id IS NOT NULL", name="delegate_decided"
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
    # The sign-off step (access/roles.py POSITIONS: who may sign it); "" outside a chain.
    step: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # What the first step of a sign-off chain (经办) prepared for the move the chain fires,
    # as given (e.g. {"approved_amount": "80000.00"}): the values the later steps sign.
    prepared: Mapped[dict | None] = mapped_column(JSON)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="open")
    decision: Mapped[str | None] = mapped_column(String(8))
    opinion: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    # 委派: the official the decider substituted for (代 …); None when they acted for themselves.
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship("Department")
    assignee: Mapped[User | None] = relationship("User", foreign_keys=[assignee_id])
    decided_by: Mapped[User | None] = relationship("User", foreign_keys=[decided_by_id])
    on_behalf_of: Mapped[User | None] = relationship("User", foreign_keys=[on_behalf_of_id])

    __mapper_args__ = {"version_id_col": version}


class Delegation(db.Model):
    """委派: `substitute` acts on `principal`'s review tasks from `starts_on` to `ends_on`
    (Beijing dates, inclusive) until revoked; each decision then records both names."""

    __tablename__ = "delegations"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
        CheckConstraint("substitute_id <> principal_id", name="not_oneself"),
        Index("ix_delegations_substitute_id_ends_on", "substitute_id", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    principal: Mapped[User] = relationship("User", foreign_keys=[principal_id])
    substitute: Mapped[User] = relationship("User", foreign_keys=[substitute_id])
    created_by: Mapped[User] = relationship("User", foreign_keys=[created_by_id])


class Timer(db.Model):
    """Something that happens at `due_at` (approvals/workflow/timers.py): a row, fired once by
    `flask tick` or Celery beat, never a thread. `key` names the occasion, so scheduling it
    again is a no-op: a claim's entry into a state (its system move at the deadline), or a
    department's deadline in a state (the reminders and the 督办 about all its claims due then)."""

    __tablename__ = "timers"
    __table_args__ = (
        UniqueConstraint("kind", "key"),
        # What `tick` reads: the unfired ones, by time; the fired are history.
        Index(
            "ix_timers_pending_due_at",
            "due_at",
            postgresql_where=text("fired_at IS NULL"),
            sqlite_where=text("fired_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(120))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    state: Mapped[str | None] = mapped_column(String(limits.STATE))
    deadline: Mapped[datetime | None]  # the step's due_at the timer is about
    due_at: Mapped[datetime]
    fired_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarYear(db.Model):
    """A year the official calendar (chinesecalendar) does not cover yet, whose schedule the
    administrator entered and confirmed (the State Council publishes it each November): its
    deadlines are then final, no longer provisional (approvals/workflow/calendar.py)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    confirmed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(String(64), default="")

    confirmed_by: Mapped[User] = relationship()
