"""Every mapped model, imported in one place so that the metadata is complete."""

from approvals.claims.models import Attachment, Claim, ClaimEvent
from approvals.notices.models import Notice, NoticeSequence
from approvals.organisations.models import (
    Department,
    Enterprise,
    PasswordReset,
    PayeeAccountChange,
    User,
    UserSession,
)
from approvals.policies.models import Policy
from approvals.workflow.models import CalendarDay, ReviewTask

__all__ = [
    "Attachment",
    "CalendarDay",
    "Claim",
    "ClaimEvent",
    "Department",
    "Enterprise",
    "Notice",
    "NoticeSequence",
    "PasswordReset",
    "PayeeAccountChange",
    "Policy",
    "ReviewTask",
    "User",
    "UserSession",
]
