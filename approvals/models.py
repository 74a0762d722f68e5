"""Every mapped model, imported in one place so that the metadata is complete."""

from approvals.api.models import IdempotencyKey
from approvals.claims.counts import ClaimCount
from approvals.claims.models import Attachment, Claim, ClaimEvent
from approvals.expert_review.models import Conflict, Criterion, PanelMember, Score
from approvals.notices.models import Notice, NoticeSequence
from approvals.notifications.models import ChannelChoice, Delivery, Message
from approvals.organisations.models import (
    Department,
    Enterprise,
    PasswordReset,
    PayeeAccountChange,
    User,
    UserSession,
)
from approvals.policies.models import Policy, PolicyVersion
from approvals.recognition_forms.models import (
    RecognitionForm,
    RecognitionFormEvent,
    RecognitionFormItem,
)
from approvals.workflow.models import CalendarDay, ReviewTask

__all__ = [
    "Attachment",
    "CalendarDay",
    "ChannelChoice",
    "Claim",
    "ClaimCount",
    "ClaimEvent",
    "Conflict",
    "Criterion",
    "Delivery",
    "Department",
    "Enterprise",
    "IdempotencyKey",
    "Message",
    "Notice",
    "NoticeSequence",
    "PanelMember",
    "PasswordReset",
    "PayeeAccountChange",
    "Policy",
    "PolicyVersion",
    "RecognitionForm",
    "RecognitionFormEvent",
    "RecognitionFormItem",
    "ReviewTask",
    "Score",
    "User",
    "UserSession",
]
