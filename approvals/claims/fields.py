"""The claims feature's transition fields: the opinion, the assessed amount, the payment
reference and the 补正期限, each declared once (approvals/workflow/fields.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from approvals import limits
from approvals.claims import recognition
from approvals.claims.rewards import rewards_total
from approvals.claims.supplement import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS, deadline_terms
from approvals.i18n import N_
from approvals.money import amount_error
from approvals.policies.amount_rules import maximum_for
from approvals.workflow.fields import Field
from approvals.workflow.spec import Label

COMMENT_MAX = limits.COMMENT
REFERENCE_MAX = limits.PAYMENT_REFERENCE


def _comment(claim, value) -> tuple[str | None, str | None]:
    text = (value or "").strip() if isinstance(value, str | type(None)) else None
    if text is None:
        return None, "意见应为文字"
    if not text:
        return None, N_("请填写意见或理由")
    if len(text) > COMMENT_MAX:
        return None, f"意见不能超过{COMMENT_MAX}字"
    return text, None


def _approved_amount(claim, value) -> tuple[Decimal | None, str | None]:
    if claim.requested_amount is None:  # a recognition: a share and a period, no money
        return None, "该申报为税收分成认定，不核定金额"
    amount, problem = amount_error(value)
    if problem:
        return None, problem
    rewarded = rewards_total(claim)
    if amount < rewarded:
        # The approved amount covers the claimant's work fund and the rewards it listed.
        return None, f"核定金额不能低于有功人员奖励合计 {rewarded:,.2f} 元"
    if amount > claim.requested_amount:
        return None, f"核定金额不能超过申报金额 {claim.requested_amount:,.2f} 元"
    if amount > claim.terms.cap:
        return None, f"核定金额不能超过政策上限 {claim.terms.cap:,.2f} 元"
    computed = maximum_for(claim)
    if amount > computed.maximum:
        return None, f"核定金额不能超过按政策计算的上限：{computed.text}"
    return amount, None


def _payment_reference(claim, value) -> tuple[str | None, str | None]:
    text = (value or "").strip() if isinstance(value, str | type(None)) else None
    if not text:
        return None, N_("请填写拨付凭证号")
    if len(text) > REFERENCE_MAX:
        return None, f"拨付凭证号不能超过{REFERENCE_MAX}个字符"
    return text, None


def _supplement_days(claim, value) -> tuple[int | None, str | None]:
    """Working days for the 补正期限; optional, ten when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_DAYS, None
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.isascii() and text.isdigit() and len(text) <= 3:
        text = int(text)
    if not isinstance(text, int) or isinstance(text, bool) or not MIN_DAYS <= text <= MAX_DAYS:
        return None, f"补正期限应为 {MIN_DAYS} 至 {MAX_DAYS} 个工作日之间的整数"
    return text, None


def _set_approved(claim, amount, today: date) -> None:
    claim.approved_amount = amount


def _set_reference(claim, reference, today: date) -> None:
    claim.payment_reference = reference


def _set_supplement_due(claim, days, today: date) -> dict:
    """The 补正期限, counted in working days from the Beijing date of the return; set before
    the notice that prints it is issued."""
    terms = deadline_terms(days, today)
    claim.supplement_due = date.fromisoformat(terms["supplement_due"])
    claim.supplement_due_provisional = terms["supplement_due_provisional"]
    return terms


def suggested_amount(claim) -> str:
    """What a reviewer may approve at most: the request, or the rule's maximum if lower."""
    if claim.requested_amount is None:
        return ""
    return f"{min(claim.requested_amount, maximum_for(claim).maximum):.2f}"


FIELDS = (
    Field(
        "comment",
        Label("意见", "Opinion"),
        "textarea",
        _comment,
        hint=Label("意见将印入通知书", "The notice prints the opinion"),
        max_length=COMMENT_MAX,
        kept_when_given=True,
    ),
    Field(
        "approved_amount",
        Label("核定金额（元）", "Assessed amount (yuan)"),
        "amount",
        _approved_amount,
        _set_approved,
        hint=Label(
            "已按申报金额与可核定上限中的较低者预填",
            "Prefilled with the lower of the request and the computed maximum",
        ),
        prefill=suggested_amount,
    ),
    Field(
        "payment_reference",
        Label("拨付凭证号", "Payment reference"),
        "text",
        _payment_reference,
        _set_reference,
        attrs={"autocomplete": "off"},
        max_length=REFERENCE_MAX,
    ),
    Field(
        "supplement_days",
        Label("补正期限（工作日）", "Supplement period (working days)"),
        "days",
        _supplement_days,
        _set_supplement_due,
        hint=Label(
            f"{MIN_DAYS} 至 {MAX_DAYS} 个工作日，按法定节假日和调休计算",
            f"{MIN_DAYS} to {MAX_DAYS} working days, counted on the public holiday calendar",
        ),
        attrs={"min": MIN_DAYS, "max": MAX_DAYS},
        default=str(DEFAULT_DAYS),
    ),
)


def register(cat) -> None:
    for field in FIELDS:
        cat.field(field)
    recognition.register(cat)  # a recognition's share and period
