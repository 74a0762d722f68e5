"""Money in yuan: parsing user input into Decimal with two places, and formatting it."""

from __future__ import annotations

import re
from decimal import Decimal

from approvals.db import Money
from approvals.errors import Invalid
from approvals.i18n import N_

CENT = Decimal(1).scaleb(-Money.scale)  # 0.01
ZERO = Decimal(0).quantize(CENT)  # 0.00: the start of every sum of money
# Money is NUMERIC(14, 2): twelve digits before the point.
MAX_AMOUNT = Decimal(10) ** (Money.precision - Money.scale) - CENT  # 999999999999.99

# Digits typed with a Chinese input method in full-width mode are digits; other scripts'
# digits ("٣", "²") are not numbers here, nor exponents, NaN or Infinity.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，＋－", "0123456789.,+-")
_NUMERAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
FORMAT_PROBLEM = N_("金额格式不正确，应为数字，如 120000.00")


def number_text(value) -> str | None:
    """`value` as a plain ASCII decimal numeral ("-12.50"), or None when it is not one.

    Checks are on the text, never by Decimal arithmetic: past 28 digits the default
    context makes `quantize` raise InvalidOperation.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return None
    if isinstance(value, Decimal):
        # A JSON number like 1e999999 would print a million digits: no amount is that long.
        if not value.is_finite() or abs(value.adjusted()) > 64:
            return None
        text = format(value, "f")
    elif isinstance(value, int):
        text = str(value) if value.bit_length() <= 256 else ""
    else:
        text = str(value).strip().translate(_FULL_WIDTH).replace(",", "")
    return text if _NUMERAL.fullmatch(text) else None


def amount_error(value) -> tuple[Decimal | None, str | None]:
    """Parse `value` as yuan; return (amount, None) or (None, a Chinese message)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, N_("请填写金额")
    text = number_text(value)
    if text is None:
        return None, FORMAT_PROBLEM
    places = text.partition(".")[2].rstrip("0")
    if len(places) > -CENT.as_tuple().exponent:
        return None, N_("金额最多保留两位小数（精确到分）")
    amount = Decimal(text)  # exact: construction never rounds, comparisons never raise
    if amount <= 0:
        return None, N_("金额必须大于0")
    if amount > MAX_AMOUNT:
        return None, N_("金额过大")
    return amount.quantize(CENT), None  # at most fourteen digits now


def parse_amount(value, field: str) -> Decimal:
    amount, problem = amount_error(value)
    if problem:
        raise Invalid(problem, fields={field: problem})
    return amount


def fmt(amount: Decimal | None) -> str | None:
    """The API's form: a string with exactly two decimals."""
    return None if amount is None else f"{amount.quantize(CENT):f}"
