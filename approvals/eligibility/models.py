"""The enterprise's profile facts (一企一档) the conditions read, each with its evidence, and
the record of whom a clause's opening was told to (once per clause and enterprise)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals import limits
from approvals.db import utcnow
from approvals.eligibility.vocabulary import QUALIFICATIONS, SIZES
from approvals.extensions import db


def _in(column: str, values) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class EnterpriseFacts(db.Model):
    """The enterprise's industry, size and date of establishment (one row per enterprise)."""

    __tablename__ = "enterprise_facts"
    __table_args__ = (CheckConstraint(_in("size", SIZES), name="size_known"),)

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), primary_key=True)
    # GB/T 4754-2017: a section letter and up to four digits (C3511).
    industry_code: Mapped[str | None] = mapped_column(String(5))
    size: Mapped[str | None] = mapped_column(String(8))
    established_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Qualification(db.Model):
    """A qualification the enterprise holds (or held), with its certificate and the file that
    proves it: uploaded (stored by SHA-256, approvals/claims/storage.py) or one of its claims'
    attachments named by reference, the same file, no second upload."""

    __tablename__ = "enterprise_qualifications"
    __table_args__ = (
        CheckConstraint(_in("kind", QUALIFICATIONS), name="kind_known"),
        CheckConstraint(
            "valid_from IS NULL OR valid_until IS NULL OR valid_until >= valid_from",
            name="validity_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    certificate_number: Mapped[str] = mapped_column(String(64), default="")
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_filename: Mapped[str | None] = mapped_column(String(limits.ATTACHMENT_FILENAME))
    evidence_content_type: Mapped[str | None] = mapped_column(String(64))
    evidence_size: Mapped[int | None]
    # When the evidence is a claim's attachment: which one (the file is the same digest).
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def label(self) -> str:
        return QUALIFICATIONS[self.kind]


class YearFigures(db.Model):
    """One year's figures of the enterprise, in yuan: R&D spend, revenue, investment."""

    __tablename__ = "enterprise_year_figures"
    __table_args__ = (
        CheckConstraint("rd_spend IS NULL OR rd_spend >= 0", name="rd_spend_not_negative"),
        CheckConstraint("revenue IS NULL OR revenue >= 0", name="revenue_not_negative"),
        CheckConstraint("investment IS NULL OR investment >= 0", name="investment_not_negative"),
    )

    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    rd_spend: Mapped[Decimal | None]
    revenue: Mapped[Decimal | None]
    investment: Mapped[Decimal | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClauseMatch(db.Model):
    """An enterprise told that a clause it matches has opened: one row per (clause,
    enterprise), so nobody is told twice, whatever ticks run."""

    __tablename__ = "eligibility_matches"
    __table_args__ = (
        UniqueConstraint("policy_id", "enterprise_id"),
        Index("ix_eligibility_matches_enterprise_id", "enterprise_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    told_at: Mapped[datetime] = mapped_column(default=utcnow)

    policy = relationship("Policy")
