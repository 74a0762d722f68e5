"""Budgets, the append-only ledger, payout batches and their items, recoveries."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals.claims.models import Claim, RewardRecipient
from approvals.db import utcnow
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.policies.models import Policy

LEDGER_KINDS = {
    "reserve": "预算占用",
    "release": "占用释放",
    "pay": "拨付",
    "recover": "追回",
    "reduce": "按比例核减",
}
# A batch's own states: open while it is composed (items added, removed, scaled), then paid.
# Finance's words, not a workflow's: a claim's states are named in its workflow file.
OPEN = "open"
BATCH_STATES = {OPEN: "编制中", "confirming": "拨付中", "confirmed": "已拨付"}
# How a recovery case ended (Recovery.outcome): everything owed repaid (追回结案), or the rest
# written off (核销). The case's own record, not a claim state.
REPAID, WAIVED = "repaid", "waived"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十: batch numbers as officials write them (第一批)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")
    return str(n)


class Budget(db.Model):
    """A policy's special fund (专项资金) for one call year, with running balances.

    The balances are kept on the row so that a reservation is one conditional UPDATE;
    the ledger holds every movement and `check-ledger` proves the two agree.
    """

    __tablename__ = "budgets"
    __table_args__ = (
        UniqueConstraint("policy_id", "year", name="uq_budgets_policy_id_year"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("reserved >= 0 AND paid >= 0 AND repaid >= 0", name="sums_not_negative"),
        # The last line of defence: no code path may commit more than the budget.
        CheckConstraint("reserved + paid <= amount", name="committed_within_amount"),
        CheckConstraint("repaid <= paid", name="repaid_within_paid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    year: Mapped[int]
    amount: Mapped[Decimal]
    reserved: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    paid: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    repaid: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))  # Σ repayments (追回)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    policy: Mapped[Policy] = relationship()

    @property
    def remaining(self) -> Decimal:
        # Repaid money goes back to the treasury (上缴国库); it does not reopen the fund.
        return self.amount - self.reserved - self.paid


class LedgerEntry(db.Model):
    """One movement of money against a budget; written once, never updated or deleted."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('reserve', 'release', 'pay', 'recover', 'reduce')", name="kind_known"
        ),
        CheckConstraint("amount > 0", name="amount_positive"),
        Index("ix_ledger_entries_claim_id_kind", "claim_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), index=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("claim_events.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("batches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal]
    note: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # The budget's hash chain (approvals.audit.chain): the entry before this one, and this one.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    budget: Mapped[Budget] = relationship()
    claim: Mapped[Claim] = relationship()

    @property
    def kind_label(self) -> str:
        return LEDGER_KINDS[self.kind]


class Batch(db.Model):
    """A payout batch (拨付批次): 第一批, 第二批 … of a year, confirmed exactly once."""

    __tablename__ = "batches"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_batches_year_seq"),
        CheckConstraint("state IN ('open', 'confirming', 'confirmed')", name="state_known"),
        CheckConstraint("seq >= 1", name="seq_positive"),
        CheckConstraint(
            "(state = 'confirmed') = (confirmed_at IS NOT NULL)", name="confirmed_at_iff_confirmed"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    seq: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default=OPEN)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    # How the batch was scaled down, per policy: limit, total before, remainder in fen.
    scaling: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    # The batch list notice (拨付批次清单), issued when the batch is confirmed: a Notice
    # like any other, numbered in the finance bureau's sequence and verifiable.
    list_notice: Mapped[Notice | None] = relationship(
        primaryjoin="Batch.id == Notice.batch_id", foreign_keys="Notice.batch_id", viewonly=True
    )
    items: Mapped[list[BatchItem]] = relationship(
        back_populates="batch", order_by="BatchItem.id", cascade="all, delete-orphan"
    )

    @property
    def name(self) -> str:
        return f"{self.year}年第{chinese_number(self.seq)}批"

    @property
    def state_label(self) -> str:
        return BATCH_STATES[self.state]

    @property
    def is_open(self) -> bool:
        """Still being composed: its items may be removed and scaled, none is paid yet."""
        return self.state == OPEN


class BatchItem(db.Model):
    """One claim in a batch; `status` makes confirmation resumable and exactly-once."""

    __tablename__ = "batch_items"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'paid')", name="status_known"),
        CheckConstraint("amount > 0 AND amount <= approved_amount", name="amount_within_approved"),
        CheckConstraint("(status = 'paid') = (event_id IS NOT NULL)", name="paid_iff_event"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    # A claim is in one batch at most: the first guard against paying it twice.
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    approved_amount: Mapped[Decimal]
    amount: Mapped[Decimal]  # what this batch pays: the 核定 amount, or it scaled down pro rata
    rounding_fen: Mapped[int] = mapped_column(default=0)  # fen added by largest remainder
    # The payee account frozen when the claim entered the batch: a later change of the
    # enterprise's profile never alters a payment already composed.
    payee_bank_name: Mapped[str | None] = mapped_column(String(128))
    payee_account: Mapped[str | None] = mapped_column(String(64))
    payee_account_name: Mapped[str | None] = mapped_column(String(128))
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    event_id: Mapped[int | None] = mapped_column(ForeignKey("claim_events.id"), unique=True)
    paid_at: Mapped[datetime | None]

    batch: Mapped[Batch] = relationship(back_populates="items")
    claim: Mapped[Claim] = relationship()
    # The transfers that make up the item when the claim rewards people (approvals/finance/
    # payout_lines.py); none for a claim paid to the claimant alone.
    lines: Mapped[list[PayoutLine]] = relationship(
        back_populates="item", order_by="PayoutLine.seq", cascade="all, delete-orphan"
    )


# Who a payout line pays: the claimant organisation's own share, or a person it rewards.
PAYOUT_LINE_KINDS = {"claimant": "单位", "person": "个人"}


class PayoutLine(db.Model):
    """One payment of a batch item (一笔支付): the claimant's share to its account, or one
    reward to a named person's own account (有功人员), frozen when the claim entered the
    batch; an item's lines sum to its amount, so that the ledger, the bank file and the
    payout notice name the same yuan."""

    __tablename__ = "payout_lines"
    __table_args__ = (
        CheckConstraint("kind IN ('claimant', 'person')", name="kind_known"),
        CheckConstraint("amount > 0 AND amount <= approved_amount", name="amount_within_approved"),
        CheckConstraint(
            "(kind = 'person') = (reward_recipient_id IS NOT NULL)", name="person_named"
        ),
        CheckConstraint("seq >= 1", name="seq_positive"),
        UniqueConstraint("batch_item_id", "seq", name="uq_payout_lines_batch_item_id_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_item_id: Mapped[int] = mapped_column(ForeignKey("batch_items.id"), index=True)
    seq: Mapped[int]  # 1: the claimant's share, then the persons in the order listed
    kind: Mapped[str] = mapped_column(String(16))
    reward_recipient_id: Mapped[int | None] = mapped_column(ForeignKey("reward_recipients.id"))
    # Frozen at composition: the name and account the bank is told to pay.
    payee_name: Mapped[str] = mapped_column(String(128))
    bank_name: Mapped[str] = mapped_column(String(128))
    account: Mapped[str] = mapped_column(String(64))
    approved_amount: Mapped[Decimal]  # the line's part of the item's 核定 amount
    amount: Mapped[Decimal]  # what the batch pays on it: its 核定 part, or that scaled down

    item: Mapped[BatchItem] = relationship(back_populates="lines")
    recipient: Mapped[RewardRecipient | None] = relationship()

    @property
    def kind_label(self) -> str:
        return PAYOUT_LINE_KINDS[self.kind]


class Recovery(db.Model):
    """Money owed back on a paid claim (追回), and how the case ended (`outcome`)."""

    __tablename__ = "recoveries"
    __table_args__ = (
        CheckConstraint("amount_due > 0", name="amount_due_positive"),
        CheckConstraint("repaid >= 0 AND repaid <= amount_due", name="repaid_within_due"),
        CheckConstraint("outcome IS NULL OR outcome IN ('repaid', 'waived')", name="outcome_known"),
        CheckConstraint("(outcome IS NULL) = (closed_at IS NULL)", name="closed_iff_outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), unique=True)
    amount_due: Mapped[Decimal]
    repaid: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))
    reason: Mapped[str] = mapped_column(Text)
    opened_event_id: Mapped[int] = mapped_column(ForeignKey("claim_events.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(16))
    closed_at: Mapped[datetime | None]

    claim: Mapped[Claim] = relationship()
    repayments: Mapped[list[Repayment]] = relationship(
        back_populates="recovery", order_by="Repayment.id"
    )

    @property
    def outstanding(self) -> Decimal:
        return self.amount_due - self.repaid


class Repayment(db.Model):
    """One repayment received on a recovery; each is its own audited transition."""

    __tablename__ = "repayments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recovery_id: Mapped[int] = mapped_column(ForeignKey("recoveries.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("claim_events.id"), unique=True)
    amount: Mapped[Decimal]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    recovery: Mapped[Recovery] = relationship(back_populates="repayments")


class ReportSnapshot(db.Model):
    """The reports page's tables as last computed, and the watermark of the data they were
    computed from (approvals/finance/report_snapshots.py)."""

    __tablename__ = "report_snapshots"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    watermark: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime]
    seconds: Mapped[float]  # how long computing it took, for operators
    tables: Mapped[list] = mapped_column(JSON)
    asked_at: Mapped[datetime | None]  # a refresh was handed to the worker
