"""Reading an enterprise's facts as typed, field by field, in Chinese: the one set of rules
behind the profile's forms (approvals/eligibility/profile.py) and the calculator's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from approvals import limits
from approvals.eligibility.conditions import INDUSTRY_CODE, Facts, Held
from approvals.eligibility.vocabulary import FIGURES, QUALIFICATIONS, SIZES
from approvals.i18n import N_
from approvals.money import FORMAT_PROBLEM, MAX_AMOUNT, number_text

EARLIEST = date(1900, 1, 1)
CERTIFICATE_MAX = 64


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def industry(value) -> tuple[str | None, str | None]:
    if _blank(value):
        return None, None
    code = value.strip().upper() if isinstance(value, str) else ""
    if not INDUSTRY_CODE.fullmatch(code):
        return None, N_("行业代码应为 GB/T 4754 门类字母，可加 2 至 4 位数字，如 C3511")
    return code, None


def size(value) -> tuple[str | None, str | None]:
    if _blank(value):
        return None, None
    if value not in SIZES:
        return None, N_("请选择企业规模")
    return value, None


def day(value, *, latest: date | None = None) -> tuple[date | None, str | None]:
    if _blank(value):
        return None, None
    if isinstance(value, date):
        found = value
    else:
        try:
            found = date.fromisoformat(str(value).strip())
        except ValueError:
            return None, N_("应为日期，如 2026-03-31")
    if found < EARLIEST or (latest is not None and found > latest):
        return None, N_("日期不在合理范围内")
    return found, None


def money(value) -> tuple[Decimal | None, str | None]:
    """A figure in yuan, zero allowed (no R&D spend is a fact too); blank: not given."""
    if _blank(value):
        return None, None
    text = number_text(value)
    if text is None:
        return None, FORMAT_PROBLEM
    if len(text.partition(".")[2].rstrip("0")) > 2:
        return None, N_("金额最多保留两位小数（精确到分）")
    amount = Decimal(text)
    if amount < 0:
        return None, N_("金额不能为负数")
    if amount > MAX_AMOUNT:
        return None, N_("金额过大")
    return amount.quantize(Decimal("0.01")), None


def year(value) -> tuple[int | None, str | None]:
    text = value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return None, N_("应为年份，如 2025")
    found = int(text)
    if not limits.YEAR_MIN <= found <= limits.YEAR_MAX:
        return None, f"应在 {limits.YEAR_MIN} 至 {limits.YEAR_MAX} 之间"
    return found, None


def certificate(value) -> tuple[str, str | None]:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > CERTIFICATE_MAX:
        return "", f"不能超过{CERTIFICATE_MAX}个字符"
    return text, limits.text_problem(text)


def entered(values, today: date) -> tuple[Facts, dict[str, str]]:
    """The calculator's facts as a visitor typed them (a mapping such as request.args):
    `industry_code`, `size`, `established_on`, `<figure>` for last year's figures, and
    `until_<qualification>`, the date its certificate is valid until (blank: not held).
    Returns (facts, field errors)."""
    errors: dict[str, str] = {}

    def take(name, parse, **kwargs):
        value, problem = parse(values.get(name), **kwargs)
        if problem:
            errors[name] = problem
        return value

    held = []
    for kind in QUALIFICATIONS:
        until = take(f"until_{kind}", day)
        if until is not None:
            held.append(Held(kind, None, until))
    figures = {name: take(name, money) for name in FIGURES}
    facts = Facts(
        qualifications=tuple(held),
        industry_code=take("industry_code", industry),
        size=take("size", size),
        established_on=take("established_on", day, latest=today),
        figures={today.year - 1: figures},
    )
    return facts, errors
