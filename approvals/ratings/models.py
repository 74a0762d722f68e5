"""ServiceRating: one claimant's rating of how one claim was handled (好差评)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import User

SCORES = (1, 2, 3, 4, 5)  # 非常不满意 … 非常满意
COMMENT_MAX = 500


class ServiceRating(db.Model):
    __tablename__ = "service_ratings"
    __table_args__ = (
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        # The oversight page groups them by the department that handled the claim.
        Index("ix_service_ratings_department_id", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)  # once a claim
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(String(COMMENT_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rated_by: Mapped[User] = relationship()
