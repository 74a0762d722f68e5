"""Publicity (公示): a list of a policy's approved claims shown to the public for a number of
working days before they may be paid; its items, one per claim; and the objections (异议)
anyone may lodge against an item while the period runs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.claims.models import Claim
from approvals.db import utcnow
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import Department, User
from approvals.policies.models import Policy

# An item is listed until an objection against it is upheld: its claim goes back to review
# and the item is reopened for good (approved again, the claim is published on a new list).
ITEM_STATUSES = ("listed", "reopened")
# An objection is open until the claim's department settles it: upheld or dismissed.
OPEN = "open"
OBJECTION_STATUSES = (OPEN, "upheld", "dismissed")
DAYS_MAX = 30  # the longest period a policy may set (policies.publicity_days)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


class Publicity(db.Model):
    """One published list (公示通知): a policy's approved claims, from `starts_on` to
    `ends_on` inclusive (Beijing dates), `days` working days."""

    __tablename__ = "publicities"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period_ordered"),
        CheckConstraint(f"days >= 1 AND days <= {DAYS_MAX}", name="days_in_range"),
        Index("ix_publicities_policy_id", "policy_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))  # the issuer
    published_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    days: Mapped[int]
    # The provisional flag of the working-day count: a day of the period lies in a year the
    # official holiday schedule does not cover yet (approvals/workflow/calendar.py).
    provisional: Mapped[bool] = mapped_column(default=False)

    policy: Mapped[Policy] = relationship()
    department: Mapped[Department] = relationship()
    published_by: Mapped[User] = relationship()
    # Its 公示通知 (notices.publicity_id), issued with it.
    notice: Mapped[Notice | None] = relationship(
        primaryjoin="Notice.publicity_id == Publicity.id", viewonly=True, uselist=False
    )
    items: Mapped[list[PublicityItem]] = relationship(
        back_populates="publicity", order_by="PublicityItem.id", cascade="all, delete-orphan"
    )

    def running(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def ended(self, today: date) -> bool:
        return today > self.ends_on


class PublicityItem(db.Model):
    """One claim on a list, with what the public page prints of it as it stood when listed:
    the enterprise's name, the project and the approved amount; never a person's data."""

    __tablename__ = "publicity_items"
    __table_args__ = (
        UniqueConstraint("publicity_id", "claim_id", name="uq_publicity_items_claim"),
        CheckConstraint(_in("status", ITEM_STATUSES), name="status_known"),
        CheckConstraint("approved_amount >= 0", name="amount_not_negative"),
        Index("ix_publicity_items_claim_id_status", "claim_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    publicity_id: Mapped[int] = mapped_column(ForeignKey("publicities.id"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    enterprise_name: Mapped[str] = mapped_column(String(128))
    project_title: Mapped[str] = mapped_column(String(200))
    approved_amount: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(16), default="listed")

    publicity: Mapped[Publicity] = relationship(back_populates="items")
    claim: Mapped[Claim] = relationship()
    objections: Mapped[list[Objection]] = relationship(
        back_populates="item", order_by="Objection.id"
    )


class Objection(db.Model):
    """An objection (异议) to one item, lodged by anyone; the claim's department's task until
    it is settled. The objector's name and contact details are for the department only:
    the public page shows the grounds' outcome, never who objected."""

    __tablename__ = "publicity_objections"
    __table_args__ = (
        CheckConstraint(_in("status", OBJECTION_STATUSES), name="status_known"),
        # settled iff decided: who, when and why.
        CheckConstraint(
            "(status = 'open') = (resolved_at IS NULL AND resolved_by_id IS NULL)",
            name="resolved_iff_settled",
        ),
        CheckConstraint("status = 'open' OR resolution <> ''", name="settled_with_reasons"),
        Index("ix_publicity_objections_department_id_status", "department_id", "status"),
        Index("ix_publicity_objections_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("publicity_items.id"))
    # The claim's department when lodged: whose task it is.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    lodged_at: Mapped[datetime] = mapped_column(default=utcnow)
    objector_name: Mapped[str] = mapped_column(String(64))
    objector_phone: Mapped[str] = mapped_column(String(20), default="")
    objector_email: Mapped[str] = mapped_column(String(254), default="")
    grounds: Mapped[str] = mapped_column(Text)
    # The evidence file, in the evidence store under its SHA-256 (approvals/claims/storage.py).
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_filename: Mapped[str] = mapped_column(String(255), default="")
    evidence_type: Mapped[str] = mapped_column(String(64), default="")
    evidence_size: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]

    item: Mapped[PublicityItem] = relationship(back_populates="objections")
    department: Mapped[Department] = relationship()
    resolved_by: Mapped[User | None] = relationship()

    @property
    def reference(self) -> str:
        """What the objector is given to find its outcome on the public page: 异议第N号."""
        return f"YY{self.id:06d}"
