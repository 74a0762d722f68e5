"""Expert review (专家评审) of special-fund clauses: who sits on a clause's panel, what it
scores against, who has declared a conflict of interest with whom, and the scores given."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import utcnow
from approvals.extensions import db

if TYPE_CHECKING:
    from approvals.organisations.models import Enterprise, User
    from approvals.policies.models import Policy

KEY_MAX, LABEL_MAX, REASON_MAX = 32, 64, 200
POINTS_MAX = 100  # no criterion is worth more than this


class PanelMember(db.Model):
    """An expert (a user of role `expert`) on a clause's panel (评审专家组)."""

    __tablename__ = "expert_panel_members"
    __table_args__ = (
        UniqueConstraint("policy_id", "expert_id", name="uq_expert_panel_members_policy_id"),
        Index("ix_expert_panel_members_expert_id", "expert_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    policy: Mapped[Policy] = relationship()
    expert: Mapped[User] = relationship()


class Criterion(db.Model):
    """One scoring criterion of a clause (评分标准): its key, labels and maximum points."""

    __tablename__ = "expert_criteria"
    __table_args__ = (
        UniqueConstraint("policy_id", "key", name="uq_expert_criteria_policy_id"),
        CheckConstraint(f"max_points BETWEEN 1 AND {POINTS_MAX}", name="max_points_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    label_zh: Mapped[str] = mapped_column(String(LABEL_MAX))
    label_en: Mapped[str] = mapped_column(String(LABEL_MAX))
    max_points: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)  # order on the score sheet


class Conflict(db.Model):
    """An expert's declared conflict of interest (利益冲突) with an enterprise: the expert
    scores none of its claims (回避). Declared on one of its claims, with the reason."""

    __tablename__ = "expert_conflicts"
    __table_args__ = (
        UniqueConstraint("expert_id", "enterprise_id", name="uq_expert_conflicts_expert_id"),
        CheckConstraint("reason <> ''", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id"))
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)

    expert: Mapped[User] = relationship()
    enterprise: Mapped[Enterprise] = relationship()


class Score(db.Model):
    """The points one expert gave one claim on one criterion; changed only while the claim is
    being scored."""

    __tablename__ = "expert_scores"
    __table_args__ = (
        UniqueConstraint("claim_id", "expert_id", "criterion_id", name="uq_expert_scores_claim_id"),
        CheckConstraint("points >= 0", name="points_not_negative"),
        Index("ix_expert_scores_expert_id", "expert_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("expert_criteria.id"))
    points: Mapped[int]
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)

    criterion: Mapped[Criterion] = relationship()
