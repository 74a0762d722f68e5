"""Amounts in Chinese capital numerals (大写金额), as banks and finance offices write them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
# Units inside a four-digit group, from the highest place down.
PLACES = ("仟", "佰", "拾", "")
# Suffix of each four-digit group, from the lowest group up: 元 … 万 … 亿.
GROUPS = ("", "万", "亿")
# 万亿 needs a compound suffix; no subsidy comes near it, so refuse rather than guess.
LIMIT = Decimal(10) ** 12
CENT = Decimal("0.01")


def to_capital_yuan(amount: Decimal | int) -> str:
    """Return the capital-numeral form of an amount in yuan, e.g. 壹拾万零伍元伍角.

    Zeros inside the number collapse to one 零; a whole amount ends with 整;
    no 零 is written between 元 and 角 (壹拾元伍角), one is written for a missing
    角 before 分 (壹元零伍分). The prefix 人民币 is the caller's to add.
    """
    cents = _to_cents(amount)
    yuan, fraction = divmod(cents, 100)
    jiao, fen = divmod(fraction, 10)

    parts = []
    if yuan:
        parts.append(_integer(yuan) + "元")
    elif not fraction:
        return "零元整"
    if jiao:
        parts.append(DIGITS[jiao] + "角")
    elif fen and yuan:
        parts.append("零")
    if fen:
        parts.append(DIGITS[fen] + "分")
    else:
        # 整 closes an amount without 分; after 角 it is customarily left out.
        parts.append("" if jiao else "整")
    return "".join(parts)


def _to_cents(amount: Decimal | int) -> int:
    # bool is an int subclass; float would carry binary rounding into money.
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValueError(f"amount must be finite: {amount}")
    if amount < 0:
        raise ValueError(f"amount must not be negative: {amount}")
    if amount >= LIMIT:
        raise ValueError(f"amount too large for capital numerals: {amount}")
    try:
        rounded = amount.quantize(CENT)
    except InvalidOperation as exc:  # pragma: no cover - guarded by LIMIT
        raise ValueError(f"amount cannot be expressed in fen: {amount}") from exc
    if rounded != amount:
        raise ValueError(f"amount has more than two decimal places: {amount}")
    return int(rounded * 100)


def _integer(number: int) -> str:
    """Capital numerals for a positive whole number below 10**12, without 元."""
    groups = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)

    text = ""
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            pending_zero = bool(text)
            continue
        # A group below 1000 after a higher group reads with 零: 壹拾万零伍.
        if text and (pending_zero or group < 1000):
            text += "零"
        text += _group(group) + GROUPS[index]
        pending_zero = False
    return text


def _group(group: int) -> str:
    """Capital numerals for 1..9999, zeros collapsed and trailing zeros dropped."""
    text = ""
    zero = False
    for place, digit in zip(PLACES, f"{group:04d}", strict=True):
        value = int(digit)
        if value == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[value] + place
    return text
