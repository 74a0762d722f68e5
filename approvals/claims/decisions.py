"""The fields a transition may require (`requires` in the workflow file), validated."""

from __future__ import annotations

from decimal import Decimal

from approvals import limits
from approvals.claims.supplement import DEFAULT_DAYS, MAX_DAYS, MIN_DAYS
from approvals.money import amount_error, fmt
from approvals.policies.amount_rules import maximum_for

COMMENT_MAX = limits.COMMENT
REFERENCE_MAX = limits.PAYMENT_REFERENCE


def _comment(claim, value) -> tuple[str | None, str | None]:
    text = (value or "").strip() if isinstance(value, str | type(None)) else None
    if text is None:
        return None, "意见应为文字"
    if not text:
        return None, "请填写意见或理由"
    if len(text) > COMMENT_MAX:
        return None, f"意见不能超过{COMMENT_MAX}字"
    return text, None


def _approved_amount(claim, value) -> tuple[Decimal | None, str | None]:
    amount, problem = amount_error(value)
    if problem:
        return None, problem
    if amount > claim.requested_amount:
        return None, f"核定金额不能超过申报金额 {claim.requested_amount:,.2f} 元"
    if amount > claim.policy.cap:
        return None, f"核定金额不能超过政策上限 {claim.policy.cap:,.2f} 元"
    computed = maximum_for(claim)
    if amount > computed.maximum:
        return None, f"核定金额不能超过按政策计算的上限：{computed.text}"
    return amount, None


def _amount_within(limit_of, message: str):
    """A money field that may not exceed a limit read from finance (paid, still owed)."""

    def check(claim, value) -> tuple[str | None, str | None]:
        amount, problem = amount_error(value)
        if problem:
            return None, problem
        limit = limit_of(claim.id)
        if amount > limit:
            return None, f"{message} {limit:,.2f} 元"
        return fmt(amount), None  # kept as text: the event payload is JSON

    return check


def _paid(claim_id: int) -> Decimal:
    from approvals.finance.ledger import paid_for_claim  # finance builds on claims

    return paid_for_claim(claim_id)


def _owed(claim_id: int) -> Decimal:
    from approvals.finance.recovery import outstanding_for

    return outstanding_for(claim_id)


def _payment_reference(claim, value) -> tuple[str | None, str | None]:
    text = (value or "").strip() if isinstance(value, str | type(None)) else None
    if not text:
        return None, "请填写拨付凭证号"
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


REQUIRED_FIELDS = {
    "comment": _comment,
    "approved_amount": _approved_amount,
    "payment_reference": _payment_reference,
    "recovery_amount": _amount_within(_paid, "追回金额不能超过已拨付金额"),
    "repayment_amount": _amount_within(_owed, "还款金额不能超过尚欠金额"),
    "supplement_days": _supplement_days,
}


def validate(claim, requires: tuple[str, ...], payload: dict) -> tuple[dict, dict]:
    """Return (clean values, field errors) for the fields a transition requires.

    A comment is kept when given even where it is not required.
    """
    clean, errors = {}, {}
    for name in requires:
        value, problem = REQUIRED_FIELDS[name](claim, payload.get(name))
        if problem:
            errors[name] = problem
        else:
            clean[name] = value
    if "comment" not in requires and payload.get("comment"):
        value, problem = _comment(claim, payload.get("comment"))
        if problem:
            errors["comment"] = problem
        else:
            clean["comment"] = value
    return clean, errors
