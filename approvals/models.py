"""Every mapped model, imported in one place so that the metadata is complete."""

from approvals.api.models import IdempotencyKey
from approvals.claims.counts import ClaimCount
from approvals.claims.models import Attachment, Claim, ClaimEvent, RewardRecipient
from approvals.eligibility.models import ClauseMatch, EnterpriseFacts, Qualification, YearFigures
from approvals.expert_review.models import Conflict, Criterion, PanelMember, Score
from approvals.finance.models import (
    Batch,
    BatchItem,
    Budget,
    LedgerEntry,
    PayoutLine,
    Recovery,
    Repayment,
    ReportSnapshot,
)
from approvals.guides.models import PolicyMaterial
from approvals.idle_land.models import IdleParcel
from approvals.library.models import LibraryDocument, SupplementAnswer
from approvals.notices.models import Notice, NoticeFile, NoticeSequence
from approvals.notifications.models import ChannelChoice, Delivery, Message
from approvals.organisations.models import (
    Department,
    Enterprise,
    PasswordReset,
    PayeeAccountChange,
    UserSession,
)
from approvals.proactive.models import ProactiveImport, ProactiveOffer
from approvals.publicity.models import Objection, Publicity, PublicityItem
from approvals.ratings.models import ServiceRating
from approvals.recognition_forms.models import (
    RecognitionForm,
    RecognitionFormEvent,
    RecognitionFormItem,
)
from approvals.supervision.models import Supervision, SupervisionItem
from approvals.workflow.models import CalendarDay, CalendarYear, Delegation, ReviewTask, Timer

__all__ = [
    "Attachment",
    "Batch",
    "BatchItem",
    "Budget",
    "CalendarDay",
    "CalendarYear",
    "ChannelChoice",
    "Claim",
    "ClaimCount",
    "ClaimEvent",
    "ClauseMatch",
    "Conflict",
    "Criterion",
    "Delegation",
    "Delivery",
    "Department",
    "Enterprise",
    "EnterpriseFacts",
    "IdempotencyKey",
    "IdleParcel",
    "LedgerEntry",
    "LibraryDocument",
    "Message",
    "Notice",
    "NoticeFile",
    "NoticeSequence",
    "Objection",
    "PanelMember",
    "PasswordReset",
    "PayeeAccountChange",
    "PayoutLine",
    "PolicyMaterial",
    "ProactiveImport",
    "ProactiveOffer",
    "Publicity",
    "PublicityItem",
    "Qualification",
    "RecognitionForm",
    "RecognitionFormEvent",
    "RecognitionFormItem",
    "Recovery",
    "Repayment",
    "ReportSnapshot",
    "ReviewTask",
    "RewardRecipient",
    "Score",
    "ServiceRating",
    "Supervision",
    "SupervisionItem",
    "SupplementAnswer",
    "Timer",
    "UserSession",
    "YearFigures",
]
