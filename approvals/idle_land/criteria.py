"""The idle-land criteria (闲置工业用地认定标准) and the idle fee's rate, read as data from
workflows/idle_land/criteria.toml and checked against a parcel's facts on a given day."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from approvals.config import REPO_ROOT

CRITERIA_FILE = REPO_ROOT / "workflows" / "idle_land" / "criteria.toml"
MEASURES = ("not_started", "built_share", "invested_share")
CENT = Decimal("0.01")


class CriteriaError(Exception):
    """The criteria file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Criterion:
    key: str
    label_zh: str
    label_en: str
    after_years: int
    measure: str
    below: Fraction | None = None  # for a share; None for not_started
    below_label: str = ""  # as the file writes it: 1/3, or a decimal shown as 25%

    def counts_from(self, agreed_start: date) -> date:
        """The day the criterion can first hold: N full years after the agreed start."""
        year = agreed_start.year + self.after_years
        try:
            return agreed_start.replace(year=year)
        except ValueError:  # 29 February in a year without one
            return date(year, 3, 1)


@dataclass(frozen=True)
class Rules:
    criteria: tuple[Criterion, ...]
    fee_share: Decimal  # of the land premium


@dataclass(frozen=True)
class Finding:
    """One criterion checked against a parcel on a day: whether it holds, and why in words."""

    criterion: Criterion
    holds: bool
    due: bool  # the years it counts have passed
    detail: str


def _fraction(text: str, where: str) -> Fraction:
    try:
        value = Fraction(str(text))
    except (ValueError, ZeroDivisionError) as exc:
        raise CriteriaError(f"{CRITERIA_FILE}: {where}: '{text}' is not a fraction") from exc
    if not 0 < value <= 1:
        raise CriteriaError(f"{CRITERIA_FILE}: {where}: '{text}' must lie in (0, 1]")
    return value


def parse(text: str) -> Rules:
    raw = tomllib.loads(text)
    criteria = []
    for n, item in enumerate(raw.get("criteria", []), start=1):
        where = f"criterion {n}"
        measure = item.get("measure")
        if measure not in MEASURES:
            raise CriteriaError(f"{CRITERIA_FILE}: {where}: unknown measure '{measure}'")
        years = item.get("after_years")
        if not isinstance(years, int) or isinstance(years, bool) or years < 0:
            raise CriteriaError(f"{CRITERIA_FILE}: {where}: after_years must be a whole number")
        text = str(item.get("below", ""))
        below = None if measure == "not_started" else _fraction(text, where)
        shown = text if "/" in text or below is None else percent(Decimal(text), Decimal(1))
        label = item.get("label") or {}
        criteria.append(
            Criterion(
                key=item["key"],
                label_zh=label.get("zh", item["key"]),
                label_en=label.get("en", item["key"]),
                after_years=years,
                measure=measure,
                below=below,
                below_label=shown,
            )
        )
    if not criteria:
        raise CriteriaError(f"{CRITERIA_FILE}: no criteria")
    try:
        share = Decimal(str(raw["fee"]["share_of_premium"]))
    except (KeyError, InvalidOperation) as exc:
        raise CriteriaError(f"{CRITERIA_FILE}: [fee] share_of_premium is missing") from exc
    if not 0 < share <= 1:
        raise CriteriaError(f"{CRITERIA_FILE}: [fee] share_of_premium must lie in (0, 1]")
    return Rules(tuple(criteria), share)


@functools.cache
def rules() -> Rules:
    return parse(CRITERIA_FILE.read_text(encoding="utf-8"))


def percent(part: Decimal, whole: Decimal) -> str:
    """12.50 → 12.5%: a share as officials write it."""
    value = (part * 100 / whole).quantize(CENT, ROUND_HALF_UP).normalize()
    return f"{value:f}%"


def _share(criterion: Criterion, part: Decimal, whole: Decimal, unit: str, what: str):
    holds = Fraction(part) < criterion.below * Fraction(whole)
    detail = (
        f"{what}{part:,.2f}{unit}，占{whole:,.2f}{unit}的{percent(part, whole)}"
        f"（{'不足' if holds else '不低于'}{criterion.below_label}）"
    )
    return holds, detail


def check(parcel, on: date) -> list[Finding]:
    """Every criterion against `parcel` (an IdleParcel, or anything with its facts) on `on`."""
    findings = []
    for criterion in rules().criteria:
        since = criterion.counts_from(parcel.agreed_start_on)
        due = on >= since
        if criterion.measure == "not_started":
            holds = parcel.started_on is None
            detail = (
                "尚未动工"
                if holds
                else f"已于{parcel.started_on.year}年{parcel.started_on.month}月"
                f"{parcel.started_on.day}日动工"
            )
        elif criterion.measure == "built_share":
            holds, detail = _share(
                criterion, parcel.built_area, parcel.planned_area, "平方米", "已开发建设面积"
            )
        else:
            holds, detail = _share(
                criterion, parcel.invested, parcel.planned_investment, "元", "已完成投资额"
            )
        if not due:
            detail += f"；{since.year}年{since.month}月{since.day}日起方可适用"
        findings.append(Finding(criterion, holds and due, due, detail))
    return findings


def met(parcel, on: date) -> list[Finding]:
    """The criteria that hold for `parcel` on `on` (none: the land is not idle by them)."""
    return [f for f in check(parcel, on) if f.holds]


def idle_fee(land_premium: Decimal) -> Decimal:
    """土地闲置费: the configured share of the land premium, to the fen (rounded half up)."""
    return (land_premium * rules().fee_share).quantize(CENT, ROUND_HALF_UP)
