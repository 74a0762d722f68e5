"""Policy: one clause of an incentive policy, described entirely by data; PolicyVersion: its
terms as they stood when a claim was filed under it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from approvals import limits
from approvals.db import utcnow
from approvals.extensions import db
from approvals.organisations.models import Department, User
from approvals.policies.vocabulary import EVIDENCE_KINDS, FUNDING_TYPES


class ClauseTerms:
    """The terms of a clause: everything that decides a claim or is printed about it. A
    Policy holds them as they stand; a PolicyVersion as they stood (approvals/policies/
    versions.py), and `claim.terms` is the version the claim was filed under."""

    title_zh: Mapped[str] = mapped_column(String(128))
    title_en: Mapped[str] = mapped_column(String(256), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    funding_type: Mapped[str] = mapped_column(String(16))
    cap: Mapped[Decimal]
    requires_government_approval: Mapped[bool] = mapped_column(default=False)
    window_open: Mapped[date]
    window_close: Mapped[date]
    required_evidence: Mapped[list] = mapped_column(JSON, default=list)
    workflow: Mapped[str] = mapped_column(String(64), default="enterprise_claim")
    # How the maximum is computed (approvals/policies/amount_rules.py); None: up to the cap.
    amount_rule: Mapped[dict | None] = mapped_column(JSON)
    # The basis cited on notices: 《title》（number）clause, e.g. 市委发〔2026〕40号 第三条.
    basis_title: Mapped[str] = mapped_column(String(200), default="")
    basis_number: Mapped[str] = mapped_column(String(64), default="")
    basis_clause: Mapped[str] = mapped_column(String(64), default="")
    # Clauses of one exclusive group pay one project once, the highest (就高不重复).
    exclusive_group: Mapped[str | None] = mapped_column(String(32))
    # The departments (codes) that review a claim under this clause together (联合审核),
    # in order: read where a workflow's state takes its tasks from `policy.joint_review`.
    joint_review: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    # Who may claim under this clause (organisations/models.py CLAIMANT_TYPES): enterprises,
    # or on the department/township track departments, townships and platform developers.
    claimant_types: Mapped[list] = mapped_column(
        JSON, default=lambda: ["enterprise"], server_default='["enterprise"]'
    )
    # A department decision above this amount is signed by the leader in charge (审批) as
    # well as the section chief; None: the section chief's signature suffices.
    signoff_threshold: Mapped[Decimal | None]
    # 奖励到人: a claim under this clause names the people it rewards (有功人员), each paid to
    # an account in the person's own name beside the claimant's share (approvals/claims/
    # rewards.py); such a claim is submitted only with its list.
    rewards_people: Mapped[bool] = mapped_column(default=False, server_default=false())
    # 公示: an approved claim under this clause is published for this many working days
    # before it may be paid (approvals/publicity); None: paid without publicity.
    publicity_days: Mapped[int | None]

    # 兑现时限: the clause promises payout within this many working days of acceptance (受理,
    # the submission of a complete claim), as provincial platforms publish; None: no promise.
    promise_days: Mapped[int | None]

    # 免申即享: the department imports the eligible enterprises and each is offered the grant
    # without filing (approvals/proactive); the offer stays open this many working days.
    proactive: Mapped[bool] = mapped_column(default=False, server_default=false())
    offer_days: Mapped[int | None]
    # 资格条件: who qualifies, as data (approvals/eligibility/conditions.py); []: anyone.
    eligibility: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")

    @declared_attr
    def department(cls) -> Mapped[Department]:
        return relationship()

    @property
    def is_recognition(self) -> bool:
        """A tax-share recognition (税收分成认定): the claim asks for no amount, and its outcome
        is a share and a period (approvals/claims/recognition.py), never money."""
        return self.funding_type == "tax_share"

    @property
    def funding_type_label(self) -> str:
        return FUNDING_TYPES[self.funding_type]

    @property
    def required_evidence_labels(self) -> list[str]:
        return [EVIDENCE_KINDS.get(kind, kind) for kind in self.required_evidence]

    def window_is_open(self, today: date) -> bool:
        return self.window_open <= today <= self.window_close

    def missing_evidence(self, present_kinds: set[str]) -> list[str]:
        """Labels of the required evidence kinds not yet attached, in the policy's order."""
        return [
            EVIDENCE_KINDS.get(kind, kind)
            for kind in self.required_evidence
            if kind not in present_kinds
        ]


class Policy(ClauseTerms, db.Model):
    __tablename__ = "policies"
    __table_args__ = (
        CheckConstraint(
            "funding_type IN ('grant', 'loan_interest', 'award', 'tax_share')",
            name="funding_type_known",
        ),
        CheckConstraint("cap > 0", name="cap_positive"),
        CheckConstraint("window_close >= window_open", name="window_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(limits.POLICY_CODE), unique=True)
    # The year of the call (通知申报): review is due by the end of February of the next
    # year and payout by the end of March. Budgets are per clause and year, so it is fixed
    # once a claim is filed under the clause.
    call_year: Mapped[int]
    # The version of its terms the clause stands at: new claims are filed under it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Who answers questions about the clause (申兑指南); empty: the department's contact. Not
    # a term of the clause: a new telephone number makes no new version.
    contact_name: Mapped[str] = mapped_column(String(32), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="", server_default="")

    versions: Mapped[list[PolicyVersion]] = relationship(
        back_populates="policy", order_by="PolicyVersion.version", cascade="all, delete-orphan"
    )


class PolicyVersion(ClauseTerms, db.Model):
    """The terms of a clause as one version fixed them; written by approvals/policies/
    versions.py when the clause is created or edited, never changed once committed."""

    __tablename__ = "policy_versions"
    __table_args__ = (
        UniqueConstraint("policy_id", "version", name="uq_policy_versions_policy_id_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id"))
    version: Mapped[int]
    # Who wrote the version (None: seeding, a command or the migration), and when.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    policy: Mapped[Policy] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()

    # What a claim prints and is keyed by comes from the clause itself.
    @property
    def code(self) -> str:
        return self.policy.code

    @property
    def call_year(self) -> int:
        return self.policy.call_year
