"""Eligibility conditions as data: what a clause asks of an enterprise (qualifications held,
industry, size, age, yearly figures), checked when the administrator gives them and judged
against an enterprise's facts, each outcome said in words.

A clause's conditions are a JSON list on its terms (`ClauseTerms.eligibility`), e.g.
    [{"kind": "qualification", "qualification": "high_tech"},
     {"kind": "industry", "codes": ["C", "I65"]},
     {"kind": "size", "sizes": ["medium", "small", "micro"]},
     {"kind": "age", "min_years": 1, "max_years": 10},
     {"kind": "figure", "figure": "rd_spend", "min": "1000000"}]
Figures are those of the year before the day judged on (上年度), in yuan; an age is the
enterprise's full years since establishment on that day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from approvals.eligibility.vocabulary import (
    FIGURES,
    QUALIFICATIONS,
    SIZES,
    industry_label,
)
from approvals.i18n import N_
from approvals.money import amount_error
from approvals.policies.amount_rules import yuan

KINDS = {
    "qualification": N_("资质"),
    "industry": N_("行业"),
    "size": N_("企业规模"),
    "age": N_("成立年限"),
    "figure": N_("年度数据"),
}
MAX_CONDITIONS = 12
MAX_YEARS = 100
# A figure this close to its threshold, or an age a year short, is "nearly" met.
NEAR_SHARE = Decimal("0.2")
INDUSTRY_CODE = re.compile(r"[A-T](?:[0-9]{2}(?:[0-9]{1,2})?)?")
_KEYS = {
    "qualification": {"qualification"},
    "industry": {"codes"},
    "size": {"sizes"},
    "age": {"min_years", "max_years"},
    "figure": {"figure", "min", "max"},
}
MET, NEAR, UNMET = "met", "near", "unmet"


# Checking what the administrator gives ----------------------------------------------------


def _codes(value, known, what: str) -> tuple[list | None, str | None]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return None, f"应为{what}的非空列表"
    unknown = [v for v in value if v not in known]
    if unknown:
        return None, f"未知的{what}：{'、'.join(unknown[:5])}"
    return list(dict.fromkeys(value)), None


def _industries(value) -> tuple[list | None, str | None]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return None, N_('应为行业代码的非空列表，如 ["C", "I65"]')
    codes = [v.strip().upper() for v in value]
    wrong = [c for c in codes if not INDUSTRY_CODE.fullmatch(c)]
    if wrong:
        return (
            None,
            f"行业代码应为 GB/T 4754 门类字母加 0 至 4 位数字，如 C 或 C35：{'、'.join(wrong[:5])}",
        )
    return list(dict.fromkeys(codes)), None


def _years(value) -> tuple[int | None, str | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_YEARS:
        return None, f"应为 0 至 {MAX_YEARS} 的整数（年）"
    return value, None


def _threshold(value) -> tuple[str | None, str | None]:
    if value is None or value == "":
        return None, None
    amount, problem = amount_error(value)
    return (None, problem) if problem else (f"{amount:f}", None)


def _one(raw) -> tuple[dict | None, dict[str, str]]:
    """One condition, clean, or its problems keyed by the condition's key."""
    if not isinstance(raw, dict):
        return None, {"": N_("每项条件应为 JSON 对象")}
    kind = raw.get("kind")
    if kind not in KINDS:
        return None, {"kind": "条件类型应为 " + "、".join(KINDS)}
    problems = {
        key: f"该类型的条件没有“{key}”一项" for key in sorted(set(raw) - _KEYS[kind] - {"kind"})
    }
    clean: dict = {"kind": kind}
    if kind == "qualification":
        if raw.get("qualification") not in QUALIFICATIONS:
            problems["qualification"] = "资质应为 " + "、".join(QUALIFICATIONS)
        clean["qualification"] = raw.get("qualification")
    elif kind == "industry":
        clean["codes"], problem = _industries(raw.get("codes"))
        if problem:
            problems["codes"] = problem
    elif kind == "size":
        clean["sizes"], problem = _codes(raw.get("sizes"), SIZES, "企业规模")
        if problem:
            problems["sizes"] = problem
    else:
        bounds = ("min_years", "max_years") if kind == "age" else ("min", "max")
        if kind == "figure":
            if raw.get("figure") not in FIGURES:
                problems["figure"] = "年度数据应为 " + "、".join(FIGURES)
            clean["figure"] = raw.get("figure")
        parse = _years if kind == "age" else _threshold
        for key in bounds:
            value, problem = parse(raw.get(key))
            if problem:
                problems[key] = problem
            elif value is not None:
                clean[key] = value
        low, high = (clean.get(b) for b in bounds)
        if not problems and low is None and high is None:
            problems[bounds[0]] = N_("请至少给出下限或上限之一")
        elif not problems and None not in (low, high) and Decimal(low) > Decimal(high):
            problems[bounds[1]] = N_("上限不能低于下限")
    return (None, problems) if problems else (clean, {})


def clean(value) -> tuple[list | None, dict[str, str]]:
    """(the conditions, clean, or None; problems keyed `eligibility` or `eligibility.<n>.<key>`,
    n counted from 1). Empty or None: the clause asks nothing (an empty list)."""
    if value is None or value == "" or value == []:
        return [], {}
    if not isinstance(value, list):
        return None, {"eligibility": N_("资格条件应为 JSON 列表，或留空")}
    if len(value) > MAX_CONDITIONS:
        return None, {"eligibility": f"资格条件最多 {MAX_CONDITIONS} 项"}
    conditions, problems = [], {}
    for number, raw in enumerate(value, start=1):
        condition, found = _one(raw)
        for key, text in found.items():
            problems[f"eligibility.{number}.{key}".rstrip(".")] = f"第{number}项：{text}"
        conditions.append(condition)
    return (None, problems) if problems else (conditions, {})


# The facts judged, and the judgement ------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """A qualification the enterprise holds or held, with its certificate's validity."""

    kind: str
    valid_from: date | None = None
    valid_until: date | None = None
    number: str = ""


@dataclass(frozen=True)
class Facts:
    """What the conditions read: from the profile (一企一档) or as the calculator's visitor
    entered them. None: not given (an unknown is "nearly", with what to fill in)."""

    qualifications: tuple[Held, ...] = ()
    industry_code: str | None = None
    size: str | None = None
    established_on: date | None = None
    figures: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)

    def figure(self, year: int, name: str) -> Decimal | None:
        return self.figures.get(year, {}).get(name)


@dataclass(frozen=True)
class Outcome:
    status: str  # MET, NEAR or UNMET
    requirement: str  # "需持有有效的高新技术企业证书"
    reason: str = ""  # "您的证书已于2026-05-01到期"

    @property
    def text(self) -> str:
        return f"{self.requirement}（{self.reason}）" if self.reason else self.requirement


def full_years(since: date, on: date) -> int:
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return years


def _anniversary(since: date, years: int) -> date:
    try:
        return since.replace(year=since.year + years)
    except ValueError:  # 29 February
        return since.replace(year=since.year + years, day=28)


def _qualification(condition: dict, facts: Facts, today: date) -> Outcome:
    name = QUALIFICATIONS[condition["qualification"]]
    need = f"需持有有效的{name}证书"
    held = [h for h in facts.qualifications if h.kind == condition["qualification"]]
    valid = [
        h
        for h in held
        if (h.valid_from is None or h.valid_from <= today)
        and (h.valid_until is None or today <= h.valid_until)
    ]
    if valid:
        until = max((h.valid_until for h in valid if h.valid_until), default=None)
        return Outcome(MET, need, f"证书有效期至{until.isoformat()}" if until else "")
    if not held:
        return Outcome(UNMET, need, f"未登记{name}证书")
    future = [h.valid_from for h in held if h.valid_from and h.valid_from > today]
    if future:
        return Outcome(NEAR, need, f"您的证书自{min(future).isoformat()}起生效")
    last = max(h.valid_until for h in held if h.valid_until)
    return Outcome(NEAR, need, f"您的证书已于{last.isoformat()}到期")


def _industry(condition: dict, facts: Facts, today: date) -> Outcome:
    need = "所属行业为" + "、".join(industry_label(c) for c in condition["codes"])
    code = facts.industry_code
    if not code:
        return Outcome(NEAR, need, N_("未填写行业代码"))
    status = MET if any(code.startswith(c) for c in condition["codes"]) else UNMET
    return Outcome(status, need, f"您的行业代码为{code}")


def _size(condition: dict, facts: Facts, today: date) -> Outcome:
    need = "企业规模为" + "、".join(SIZES[s] for s in condition["sizes"])
    if not facts.size:
        return Outcome(NEAR, need, N_("未填写企业规模"))
    status = MET if facts.size in condition["sizes"] else UNMET
    return Outcome(status, need, f"您的企业规模为{SIZES[facts.size]}")


def _age(condition: dict, facts: Facts, today: date) -> Outcome:
    low, high = condition.get("min_years"), condition.get("max_years")
    parts = ([f"成立满{low}年"] if low is not None else []) + (
        [f"成立不满{high}年"] if high is not None else []
    )
    need = "且".join(parts)
    since = facts.established_on
    if since is None:
        return Outcome(NEAR, need, N_("未填写成立日期"))
    years = full_years(since, today)
    said = f"您的企业成立于{since.isoformat()}，已满{years}年"
    if low is not None and years < low:
        if years == low - 1 and (high is None or years < high):
            return Outcome(
                NEAR, need, f"{said}，将于{_anniversary(since, low).isoformat()}满{low}年"
            )
        return Outcome(UNMET, need, said)
    if high is not None and years >= high:
        return Outcome(UNMET, need, said)
    return Outcome(MET, need, said)


def _figure(condition: dict, facts: Facts, today: date) -> Outcome:
    year, name = today.year - 1, FIGURES[condition["figure"]]
    low = Decimal(condition["min"]) if "min" in condition else None
    high = Decimal(condition["max"]) if "max" in condition else None
    parts = ([f"不低于{yuan(low)}元"] if low is not None else []) + (
        [f"不高于{yuan(high)}元"] if high is not None else []
    )
    need = f"上年度（{year}年）{name}" + "且".join(parts)
    value = facts.figure(year, condition["figure"])
    if value is None:
        return Outcome(NEAR, need, f"未填写{year}年度{name}")
    if low is not None and value < low:
        near = value >= low * (1 - NEAR_SHARE)
        reason = f"您填写的为{yuan(value)}元，还差{yuan(low - value)}元"
        return Outcome(NEAR if near else UNMET, need, reason)
    if high is not None and value > high:
        near = value <= high * (1 + NEAR_SHARE)
        reason = f"您填写的为{yuan(value)}元，超出{yuan(value - high)}元"
        return Outcome(NEAR if near else UNMET, need, reason)
    return Outcome(MET, need, f"您填写的为{yuan(value)}元")


_JUDGES = {
    "qualification": _qualification,
    "industry": _industry,
    "size": _size,
    "age": _age,
    "figure": _figure,
}
QUALIFIES, NEARLY, NOT = "qualifies", "nearly", "not"


def judge(conditions: list[dict], facts: Facts, today: date) -> list[Outcome]:
    """Each condition's outcome for these facts on `today`, in the clause's order."""
    return [_JUDGES[c["kind"]](c, facts, today) for c in conditions or ()]


def verdict(outcomes: list[Outcome]) -> str:
    """QUALIFIES when every condition is met; NEARLY when those not met are all near (an
    expired certificate, a figure within a fifth, a fact not given); NOT otherwise."""
    if all(o.status == MET for o in outcomes):
        return QUALIFIES
    if all(o.status in (MET, NEAR) for o in outcomes):
        return NEARLY
    return NOT


def describe(conditions: list[dict] | None, today: date) -> list[str]:
    """The conditions in words, as a clause's page lists who qualifies."""
    empty = Facts()
    return [o.requirement for o in judge(conditions or [], empty, today)]
