"""Money in yuan: parsing user input into Decimal with two places, and formatting it."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from approvals.errors import Invalid

MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")


def amount_error(value) -> tuple[Decimal | None, str | None]:
    """Parse `value` as yuan; return (amount, None) or (None, a Chinese message)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "请填写金额"
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return None, "金额格式不正确，应为数字，如 120000.00"
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        return None, "金额格式不正确，应为数字，如 120000.00"
    if not amount.is_finite():
        return None, "金额格式不正确，应为数字，如 120000.00"
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(CENT):
        return None, "金额最多保留两位小数（精确到分）"
    if amount <= 0:
        return None, "金额必须大于0"
    if amount > MAX_AMOUNT:
        return None, "金额过大"
    return amount.quantize(CENT), None


def parse_amount(value, field: str) -> Decimal:
    amount, problem = amount_error(value)
    if problem:
        raise Invalid(problem, fields={field: problem})
    return amount


def fmt(amount: Decimal | None) -> str | None:
    """The API's form: a string with exactly two decimals."""
    return None if amount is None else f"{amount.quantize(CENT):f}"
