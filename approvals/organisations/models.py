"""Department, Enterprise and User."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from approvals import limits
from approvals.access.roles import POSITION_LABELS, POSITIONS, ROLE_LABELS
from approvals.db import utcnow
from approvals.extensions import db
from approvals.i18n import N_


class Department(db.Model):
    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))  # 市经贸局
    name_en: Mapped[str] = mapped_column(String(128), default="")
    # The full name printed on notices (GB/T 9704): 示范市经济贸易局; empty: derived from `name`.
    full_name: Mapped[str] = mapped_column(String(64), default="")
    # 附注 of the department's notices: （联系人：…，电话：…）
    contact_name: Mapped[str] = mapped_column(String(32), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    # Prefix of the notice number (发文字号): 经贸兑〔2026〕15号
    notice_prefix: Mapped[str] = mapped_column(String(16))

    def __repr__(self) -> str:
        return f"<Department {self.code}>"


# Who files claims (申报主体): enterprises on the enterprise track; departments, townships and
# streets, and platform developers on the department/township track. Rewards to people
# (有功人员) are named inside a claimant's claim (approvals/claims/models.py RewardRecipient),
# never filed by them.
CLAIMANT_TYPES = ("enterprise", "department", "township", "platform")
CLAIMANT_TYPE_LABELS = {
    "enterprise": N_("企业"),
    "department": N_("部门"),
    "township": N_("乡镇（街道）"),
    "platform": N_("平台开发主体"),
}


class Enterprise(db.Model):
    """A claimant organisation (申报主体): on the enterprise track a company; on the
    department/township track a department, township (street) or platform developer, by
    `claimant_type`. The table keeps its first name: most claimants are enterprises."""

    __tablename__ = "enterprises"
    __table_args__ = (
        CheckConstraint(
            "claimant_type IN (" + ", ".join(f"'{t}'" for t in CLAIMANT_TYPES) + ")",
            name="claimant_type_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(limits.ENTERPRISE_NAME))
    credit_code: Mapped[str] = mapped_column(String(limits.CREDIT_CODE), unique=True)
    claimant_type: Mapped[str] = mapped_column(
        String(16), default="enterprise", server_default="enterprise"
    )
    # The profile (企业信息).
    legal_representative: Mapped[str] = mapped_column(String(64), default="")
    contact_name: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # The payee account (收款账户); its name must equal the enterprise's registered name.
    bank_name: Mapped[str | None] = mapped_column(String(128))
    bank_account: Mapped[str | None] = mapped_column(String(64))
    account_name: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_enterprise(self) -> bool:
        """A company (申报企业); otherwise the pages call the claimant 申报单位."""
        return self.claimant_type == "enterprise"

    @property
    def claimant_type_label(self) -> str:
        return CLAIMANT_TYPE_LABELS[self.claimant_type]


class PayeeAccountChange(db.Model):
    """One change of an enterprise's payee account: who, when, old and new (number masked)."""

    __tablename__ = "payee_account_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    old_bank_name: Mapped[str | None] = mapped_column(String(128))
    old_account_masked: Mapped[str | None] = mapped_column(String(32))
    old_account_name: Mapped[str | None] = mapped_column(String(128))
    new_bank_name: Mapped[str | None] = mapped_column(String(128))
    new_account_masked: Mapped[str | None] = mapped_column(String(32))
    new_account_name: Mapped[str | None] = mapped_column(String(128))

    changed_by: Mapped[User] = relationship()


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('enterprise', 'reviewer', 'finance', 'government', 'admin', 'system',"
            " 'expert')",
            name="role_known",
        ),
        CheckConstraint(
            "role <> 'system' OR (password_hash = '!' AND NOT active)",
            name="system_cannot_sign_in",
        ),
        CheckConstraint(
            "(role = 'enterprise') = (enterprise_id IS NOT NULL)",
            name="enterprise_users_belong_to_enterprise",
        ),
        CheckConstraint(
            "role NOT IN ('reviewer', 'finance', 'government') OR department_id IS NOT NULL",
            name="officials_belong_to_department",
        ),
        CheckConstraint(
            "position IS NULL OR (position IN ("
            + ", ".join(f"'{p}'" for p in POSITIONS)
            + ") AND role IN ('reviewer', 'finance', 'government'))",
            name="position_of_an_official",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(limits.USERNAME), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(limits.DISPLAY_NAME), default="")
    role: Mapped[str] = mapped_column(String(16))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # An official's place in the sign-off chain (access/roles.py POSITIONS); None: none.
    position: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship()
    enterprise: Mapped[Enterprise | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def position_label(self) -> str:
        return POSITION_LABELS.get(self.position, "") if self.position else ""

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class UserSession(db.Model):
    """One signed-in session (web cookie) or API token, known to the server so that it can
    be ended: on sign-out, a password change or reset, or the user's deactivation.

    Only the SHA-256 of the random token is stored; the token itself lives in the signed
    session cookie or the client's `Authorization` header."""

    __tablename__ = "user_sessions"
    __table_args__ = (CheckConstraint("kind IN ('web', 'api')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # signout, password, deactivated, idle, expired
    end_reason: Mapped[str] = mapped_column(String(16), default="")

    user: Mapped[User] = relationship()


class PasswordReset(db.Model):
    """A one-time link an administrator made for a user to set a new password: stored as
    the SHA-256 of its token, expiring, used at most once."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
