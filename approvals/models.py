"""Every mapped model, imported in one place so that the metadata is complete."""

from approvals.claims.models import Attachment, Claim, ClaimEvent
from approvals.notices.models import Notice, NoticeSequence
from approvals.organisations.models import Department, Enterprise, User
from approvals.policies.models import Policy

__all__ = [
    "Attachment",
    "Claim",
    "ClaimEvent",
    "Department",
    "Enterprise",
    "Notice",
    "NoticeSequence",
    "Policy",
    "User",
]
