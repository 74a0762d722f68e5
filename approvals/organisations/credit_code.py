"""Unified social credit code (统一社会信用代码) validation per GB 32100-2015."""

from __future__ import annotations

from approvals.i18n import N_

# The 31 characters of the code alphabet (no I, O, Z, S, V), in value order.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_error(code: str) -> str | None:
    """Return a Chinese message saying what is wrong, or None when the code is valid."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return N_("统一社会信用代码应为18位")
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        return f"统一社会信用代码含有无效字符：{''.join(bad)}"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（第18位应为 {expected}）"
    return None


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (used by demo data and tests)."""
    return first17 + check_character(first17)
