"""The recorded facts a notice is rendered from; the PDF depends on nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# Notice kinds, with the Chinese title printed on the notice.
KIND_TITLES: dict[str, str] = {
    "receipt": "受理回执",
    "withdrawal": "撤回确认书",
    "supplement": "补正通知书",
    "recognition": "认定表",
    "rejection": "不予支持通知书",
    "finance_opinion": "复核意见书",
    "send_back": "退回意见书",
    "approval": "审定意见书",
    "payout": "拨付通知书",
    "recovery": "追回通知书",
    "repayment": "还款确认书",
    "recovery_closed": "追回结案通知书",
    "write_off": "核销通知书",
}


# Titles of every issued document: the notices of transitions and the batch list.
DOCUMENT_TITLES: dict[str, str] = {**KIND_TITLES, "batch_list": "拨付批次清单"}


@dataclass(frozen=True)
class NoticeFacts:
    kind: str  # a key of KIND_TITLES
    number: str  # 发文字号, e.g. 经贸兑〔2026〕15号
    issuer_code: str  # department code, e.g. JMJ
    issuer_name: str  # e.g. 市经贸局
    issued_at: datetime  # timezone-aware UTC; printed as a date in Asia/Shanghai
    enterprise_name: str
    credit_code: str
    claim_number: str
    policy_code: str
    policy_title: str
    funding_type: str  # Chinese label, e.g. 无偿资助
    project_title: str
    requested_amount: Decimal
    approved_amount: Decimal | None
    comment: str | None
    payment_reference: str | None
    verification_code: str  # printed on the notice and encoded in the QR code
    verify_url: str  # absolute URL of the public verification page for this notice

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]
