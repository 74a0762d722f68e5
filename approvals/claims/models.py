"""Claim, its immutable ClaimEvent audit rows, and its evidence Attachments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship, validates

from approvals import limits
from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import Department, Enterprise, User
from approvals.policies.models import Policy, PolicyVersion

if TYPE_CHECKING:
    from approvals.workflow.models import ReviewTask


class Claim(db.Model):
    __tablename__ = "claims"
    __table_args__ = (
        # A recognition (税收分成认定) asks for no amount: its outcome is a share and a period.
        CheckConstraint(
            "requested_amount IS NULL OR requested_amount > 0", name="requested_positive"
        ),
        CheckConstraint(
            "recognised_share IS NULL OR (recognised_share > 0 AND recognised_share <= 100)",
            name="recognised_share_percent",
        ),
        CheckConstraint(
            "share_from IS NULL OR share_until IS NULL OR share_until >= share_from",
            name="share_period_ordered",
        ),
        CheckConstraint(
            "approved_amount IS NULL"
            " OR (approved_amount > 0 AND approved_amount <= requested_amount)",
            name="approved_within_requested",
        ),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("paid_amount IS NULL OR paid_amount > 0", name="paid_positive"),
        CheckConstraint("reduction IS NULL OR reduction > 0", name="reduction_positive"),
        # Queues filter by state and department and read oldest first; lists read newest first.
        Index("ix_claims_state_department_id", "state", "department_id", "id"),
        # The overdue filter: a range of deadlines within a department's state, so that few
        # overdue claims among many waiting are found without walking the waiting ones.
        Index("ix_claims_state_department_id_due_at", "state", "department_id", "due_at", "id"),
        Index("ix_claims_state_due_at", "state", "due_at", "id"),
        # The city offices' queues read one state at a time in id order.
        Index("ix_claims_state_id", "state", "id"),
        Index("ix_claims_enterprise_id_id", "enterprise_id", "id"),
        # An agent's filings (全程代办): what a reviewer sees beyond its department is read
        # by their ids (approvals/access/rules.py `beyond_scope_ids`).
        Index("ix_claims_agent_id", "agent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(32), unique=True)
    workflow: Mapped[str] = mapped_column(String(64))
    workflow_version: Mapped[int] = mapped_column(default=1)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"), index=True)
    # The version of the clause's terms the claim was filed under (approvals/policies/
    # versions.py): an edit to the clause afterwards makes a new version, not a new rule here.
    policy_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Denormalised from the policy so that a department's queue is one indexed read.
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    project_title: Mapped[str] = mapped_column(String(limits.PROJECT_TITLE))
    requested_amount: Mapped[Decimal | None]  # None only for a recognition without payout
    # The inputs the policy's amount rule needs (eligible base; principal, rate, months).
    amount_inputs: Mapped[dict | None] = mapped_column(JSON)
    approved_amount: Mapped[Decimal | None]  # the department's 核定金额; finance never rewrites it
    # What was paid, and the recorded pro-rata reduction (核减) with its reason.
    paid_amount: Mapped[Decimal | None]
    reduction: Mapped[Decimal | None]
    reduction_reason: Mapped[str | None] = mapped_column(String(200))
    # The payee account, frozen when the claim enters a batch (or at disburse).
    payee_bank_name: Mapped[str | None] = mapped_column(String(128))
    payee_account: Mapped[str | None] = mapped_column(String(64))
    payee_account_name: Mapped[str | None] = mapped_column(String(128))
    # 补正期限: the last day a returned claim may be resubmitted (Asia/Shanghai date).
    supplement_due: Mapped[date | None]
    # Counted in part by the weekend rule: the official calendar of that year was not known.
    supplement_due_provisional: Mapped[bool] = mapped_column(default=False, server_default=false())
    payment_reference: Mapped[str | None] = mapped_column(String(limits.PAYMENT_REFERENCE))
    # 税收分成认定: the recognised share of local tax revenue (percent) and its period.
    recognised_share: Mapped[Decimal | None]
    share_from: Mapped[date | None]
    share_until: Mapped[date | None]
    # 全程代办: the official who filed the claim on the claimant's behalf, and the claimant
    # user's recorded consent (who and when); None when the claimant filed it itself.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agency_consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agency_consent_at: Mapped[datetime | None]
    state: Mapped[str] = mapped_column(String(limits.STATE))
    version: Mapped[int] = mapped_column(default=1)
    # Which offices the claim has reached: they may see it from then on.
    reached_finance: Mapped[bool] = mapped_column(default=False)
    reached_government: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]  # deadline of the current step, from the workflow
    # Counted by the weekend rule in a year the official calendar does not know yet.
    due_provisional: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A counted step's working days left while the claim waits for 补正 (claims/step_clock.py).
    clock_left: Mapped[int | None]
    clock_state: Mapped[str | None] = mapped_column(String(limits.STATE))
    # The clause's 兑现时限 counted from the claim's acceptance: the last day still in time.
    promise_due: Mapped[date | None]
    promise_kept: Mapped[bool | None]  # paid by that day; None until first paid
    decided_at: Mapped[datetime | None]

    policy: Mapped[Policy] = relationship()
    # Read through `terms`; written by nothing: `policy_id` and `policy_version` say which.
    filed_terms: Mapped[PolicyVersion | None] = relationship(
        primaryjoin="and_(foreign(Claim.policy_id) == PolicyVersion.policy_id,"
        " foreign(Claim.policy_version) == PolicyVersion.version)",
        viewonly=True,
    )
    # The department that reviews it: the policy's, unless a department transferred it (转办).
    department: Mapped[Department] = relationship()
    enterprise: Mapped[Enterprise] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    agent: Mapped[User | None] = relationship(foreign_keys=[agent_id])
    agency_consent_by: Mapped[User | None] = relationship(foreign_keys=[agency_consent_by_id])
    reward_recipients: Mapped[list[RewardRecipient]] = relationship(
        back_populates="claim", order_by="RewardRecipient.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[ClaimEvent]] = relationship(
        back_populates="claim", order_by="ClaimEvent.id", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="claim", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    # Read only: the engine opens and decides the tasks (approvals/workflow/rounds.py,
    # tasks.py); the claim reads them for who may see it and for its page and JSON.
    review_tasks: Mapped[list[ReviewTask]] = relationship(
        "ReviewTask", viewonly=True, order_by="ReviewTask.id"
    )

    # The optimistic lock: every UPDATE checks the version it read; the number goes up once
    # per transaction that changes the claim (`_one_version_per_transaction`, below), so a
    # move whose effects write the claim after its event (a payout's amounts) is one version.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @validates("policy")
    def _filed_under(self, _key, policy: Policy) -> Policy:
        """A new claim is filed under the clause's current version of its terms."""
        if self.id is None:
            self.policy_version = policy.version or 1
        return policy

    @property
    def terms(self) -> PolicyVersion | Policy:
        """The clause's terms as they stood when the claim was filed: its cap, amount rule,
        evidence, basis, title, review and sign-off. The call's window and exclusive group
        are the clause's as it stands (claim.policy)."""
        # A row written without a version (raw SQL) reads the clause as it stands.
        return self.filed_terms or self.policy


class ClaimEvent(db.Model):
    """One transition, written once and never updated: the audit trail."""

    __tablename__ = "claim_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(limits.TRIGGER))
    from_state: Mapped[str] = mapped_column(String(limits.STATE))
    to_state: Mapped[str] = mapped_column(String(limits.STATE))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    # What was decided, as it stood: amounts, policy terms, evidence hashes.
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    # The claim's hash chain (approvals.audit.chain): the link before this one, and this one.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    claim: Mapped[Claim] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()


class Attachment(db.Model):
    """Evidence (证明材料), stored once per content under its SHA-256."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        UniqueConstraint("claim_id", "sha256", "kind", name="uq_attachments_claim_sha_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    kind: Mapped[str] = mapped_column(String(limits.ATTACHMENT_KIND))
    # The original name, for display only.
    filename: Mapped[str] = mapped_column(String(limits.ATTACHMENT_FILENAME))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Attached from the enterprise's document library (approvals/library): the same stored
    # file, by reference; None for a file uploaded to this claim.
    library_document_id: Mapped[int | None] = mapped_column(ForeignKey("library_documents.id"))

    claim: Mapped[Claim] = relationship(back_populates="attachments")


class RewardRecipient(db.Model):
    """A person a claim rewards (有功人员, clause 5 of the department/township track): named by
    the claimant with an ID number and a bank account in the person's own name, and paid in
    a payout batch beside the claimant's own share."""

    __tablename__ = "reward_recipients"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        UniqueConstraint("claim_id", "id_number", name="uq_reward_recipients_claim_id_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    # 公民身份号码 (GB 11643, checked on entry); shown masked on every screen.
    id_number: Mapped[str] = mapped_column(String(18))
    contribution: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal]
    bank_name: Mapped[str] = mapped_column(String(128))
    bank_account: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="reward_recipients")


@event.listens_for(Claim, "before_update")
def _one_version_per_transaction(_mapper, _connection, claim: Claim) -> None:
    """Number the claim's version once per transaction, at its first UPDATE with a change.

    SQLAlchemy's own counter bumps at every UPDATE, and a move flushes the claim twice when
    an effect writes it after the event (two versions for one move, issue 14). The
    transaction object itself marks which claims it numbered: a later transaction is another
    object, so it numbers them again.
    """
    session = object_session(claim)
    if session is None or not session.is_modified(claim, include_collections=False):
        return
    transaction = session.get_transaction()
    marks = session.info.get(_NUMBERED)
    if marks is None or marks[0] is not transaction:
        marks = session.info[_NUMBERED] = (transaction, set())
    if claim.id not in marks[1]:
        marks[1].add(claim.id)
        claim.version += 1


_NUMBERED = "approvals.claims_numbered"  # session.info: (its transaction, claim ids)
