"""An import of eligible enterprises (免申即享名单) and the offers it made: one row per list a
department uploaded, with the rows it refused and why; one row per offer, beside its claim."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals import limits
from approvals.claims.models import Claim
from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy

# What became of an offer, kept on its row by the workflow's effects (approvals/proactive/
# moves.py) so that the reports count outcomes with a GROUP BY and name no state.
OUTCOMES = ("offered", "confirmed", "declined", "expired")
FACT_MAX = limits.PROJECT_TITLE  # the qualifying fact is the claim's project title


class ProactiveImport(db.Model):
    """One uploaded list: who sent it, when, how many rows became offers, and the refused
    rows (`rejected`: [{row, credit_code, name, reason}]) the department may correct and send
    again. Written once, in the transaction that makes its offers."""

    __tablename__ = "proactive_imports"
    __table_args__ = (
        CheckConstraint("offered >= 0", name="offered_not_negative"),
        CheckConstraint("rows_read >= offered", name="offered_within_rows"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(limits.ATTACHMENT_FILENAME))
    sha256: Mapped[str] = mapped_column(String(64))
    rows_read: Mapped[int]
    offered: Mapped[int]
    rejected: Mapped[list] = mapped_column(JSON, default=list)

    policy: Mapped[Policy] = relationship()
    imported_by: Mapped[User] = relationship()
    offers: Mapped[list[ProactiveOffer]] = relationship(
        back_populates="source", order_by="ProactiveOffer.row_number"
    )


class ProactiveOffer(db.Model):
    """The offer of a grant to one enterprise: the claim it is (workflows/proactive_grant),
    the list row it came from, the fact that qualifies it, and its outcome."""

    __tablename__ = "proactive_offers"
    __table_args__ = (
        UniqueConstraint("claim_id", name="uq_proactive_offers_claim_id"),
        CheckConstraint(
            "outcome IN ('offered', 'confirmed', 'declined', 'expired')", name="outcome_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("proactive_imports.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    # Denormalised from the claim: "already offered under this clause" is one indexed read.
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    row_number: Mapped[int]
    fact: Mapped[str] = mapped_column(String(FACT_MAX))
    outcome: Mapped[str] = mapped_column(String(16), default="offered")
    # The last day to confirm (Beijing date), kept when the offer is made: the claim's own
    # deadline is its current step's and is gone once the offer is answered.
    last_day: Mapped[date | None]
    # Who of the enterprise answered, and when (意愿确认 or 放弃); the system's expiry too.
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]

    source: Mapped[ProactiveImport] = relationship(back_populates="offers")
    claim: Mapped[Claim] = relationship()
    answered_by: Mapped[User | None] = relationship()
