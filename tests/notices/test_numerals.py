"""Capital numerals for amounts (大写金额) follow the banks' writing rules."""

from decimal import Decimal

import pytest

from approvals.notices.numerals import to_capital_yuan

KNOWN = [
    # The examples.
    ("100005.50", "壹拾万零伍元伍角"),
    ("120000.00", "壹拾贰万元整"),
    ("0.05", "伍分"),
    ("1.00", "壹元整"),
    ("10.50", "壹拾元伍角"),
    ("1001.01", "壹仟零壹元零壹分"),
    ("100000000", "壹亿元整"),
    ("0", "零元整"),
    ("0.00", "零元整"),
    # Fractions alone, and 角 missing before 分.
    ("0.50", "伍角"),
    ("0.15", "壹角伍分"),
    ("1.05", "壹元零伍分"),
    ("10.05", "壹拾元零伍分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    # Tens keep their 壹, as finance writes them.
    ("10", "壹拾元整"),
    ("11", "壹拾壹元整"),
    ("20", "贰拾元整"),
    ("110000", "壹拾壹万元整"),
    # Zeros inside a group collapse to one 零; trailing zeros are silent.
    ("101", "壹佰零壹元整"),
    ("1001", "壹仟零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("1100", "壹仟壹佰元整"),
    ("9999", "玖仟玖佰玖拾玖元整"),
    # Zeros across the 万 and 亿 boundaries.
    ("10000", "壹万元整"),
    ("10001", "壹万零壹元整"),
    ("10010", "壹万零壹拾元整"),
    ("10100", "壹万零壹佰元整"),
    ("11000", "壹万壹仟元整"),
    ("100005", "壹拾万零伍元整"),
    ("105000", "壹拾万伍仟元整"),
    ("1000000", "壹佰万元整"),
    ("3050000", "叁佰零伍万元整"),
    ("10001000", "壹仟万壹仟元整"),
    ("10000100", "壹仟万零壹佰元整"),
    ("100000001", "壹亿零壹元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100100000", "壹亿零壹拾万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("123456789.12", "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    # Amounts from the policies: a fixed award, a capped share, an interest subsidy.
    ("500000.00", "伍拾万元整"),
    ("2000000", "贰佰万元整"),
    ("37916.67", "叁万柒仟玖佰壹拾陆元陆角柒分"),
    ("80000.40", "捌万元肆角"),
    # Trailing zeros in the Decimal's exponent are the same value.
    ("1.500", "壹元伍角"),
]


@pytest.mark.parametrize(("amount", "expected"), KNOWN)
def test_known_amounts_in_capital_numerals(amount, expected):
    assert to_capital_yuan(Decimal(amount)) == expected


def test_whole_int_is_accepted_like_decimal():
    assert to_capital_yuan(120000) == "壹拾贰万元整"


@pytest.mark.parametrize("amount", ["-0.01", "-100", "0.001", "1.005", "12.345", "NaN", "Infinity"])
def test_negative_or_sub_fen_or_non_finite_amount_is_refused(amount):
    with pytest.raises(ValueError):
        to_capital_yuan(Decimal(amount))


def test_amount_beyond_hundreds_of_billions_is_refused():
    with pytest.raises(ValueError):
        to_capital_yuan(Decimal("1000000000000"))


@pytest.mark.parametrize("amount", [1.5, "1.50", True])
def test_non_decimal_amount_is_refused(amount):
    with pytest.raises(TypeError):
        to_capital_yuan(amount)
