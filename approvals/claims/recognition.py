"""A recognition's outcome (税收分成认定, clause 4 of the department/township track): the
share of local tax revenue recognised to the claimant and the period it runs, declared as
transition fields (approvals/workflow/fields.py) that the lead department's decision gives.

A recognition asks for no amount and moves no money: no budget is reserved, paid or
released for it, and it never enters a payout batch. The period is checked whole when its
end is applied, after its start (the load-time check below keeps that order in the files).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from approvals import limits
from approvals.errors import Invalid
from approvals.i18n import N_
from approvals.money import number_text
from approvals.workflow.fields import Field
from approvals.workflow.spec import Label

SHARE_PLACES = 2  # claims.recognised_share is NUMERIC(14, 2)
PERIOD_UNORDERED = N_("分成期限的截止日期不能早于起始日期")


def _share(claim, value) -> tuple[Decimal | None, str | None]:
    text = number_text(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, N_("请填写认定分成比例")
    places = (text or "").partition(".")[2].rstrip("0")
    if text is None or len(places) > SHARE_PLACES:
        return None, N_("分成比例应为数字，最多两位小数，如 30 表示 30%")
    share = Decimal(text)
    if not 0 < share <= 100:
        return None, N_("分成比例应大于 0 且不超过 100（%）")
    return share.quantize(Decimal("0.01")), None


def _day(value, missing: str) -> tuple[str | None, str | None]:
    """The date as ISO text ("2027-01-01"), as the event's payload keeps it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, missing
    text = value.strip() if isinstance(value, str) else ""
    try:
        day = date.fromisoformat(text) if len(text) == 10 and text.isascii() else None
    except ValueError:
        day = None
    if day is None or not limits.YEAR_MIN <= day.year <= limits.YEAR_MAX:
        return None, N_("日期格式应为 2027-01-01")
    return day.isoformat(), None


def _share_from(claim, value):
    return _day(value, N_("请填写分成期限的起始日期"))


def _share_until(claim, value):
    return _day(value, N_("请填写分成期限的截止日期"))


def _set_share(claim, share, today: date) -> None:
    claim.recognised_share = share


def _set_from(claim, text: str, today: date) -> None:
    claim.share_from = date.fromisoformat(text)


def _set_until(claim, text: str, today: date) -> None:
    """The end, checked against the start this move has just applied."""
    day = date.fromisoformat(text)
    if claim.share_from is not None and day < claim.share_from:
        raise Invalid(PERIOD_UNORDERED, fields={"share_until": PERIOD_UNORDERED})
    claim.share_until = day


def _shown_date(day: date | None) -> str:
    return day.isoformat() if day else ""


FIELDS = (
    Field(
        "recognised_share",
        Label("认定分成比例（%）", "Recognised share (%)"),
        "percent",
        _share,
        _set_share,
        hint=Label("新引进项目地方税收分成给申报单位的比例", "Share of the local tax revenue"),
        max_length=16,
        prefill=lambda claim: f"{claim.recognised_share}" if claim.recognised_share else "",
    ),
    Field(
        "share_from",
        Label("分成期限起", "Share from"),
        "date",
        _share_from,
        _set_from,
        max_length=10,
        prefill=lambda claim: _shown_date(claim.share_from),
    ),
    Field(
        "share_until",
        Label("分成期限止", "Share until"),
        "date",
        _share_until,
        _set_until,
        max_length=10,
        prefill=lambda claim: _shown_date(claim.share_until),
    ),
)


def period_in_order(spec) -> list[tuple[int, str]]:
    """Load-time: a move that gives the period names its start before its end, so that the
    end is checked against the start it gives (`_set_until`)."""
    problems = []
    for t in spec.transitions:
        names = list(t.requires)
        if "share_until" in names and (
            "share_from" not in names or names.index("share_from") > names.index("share_until")
        ):
            problems.append((t.line, f"'{t.trigger}': requires share_from before share_until"))
    return problems


def register(cat) -> None:
    for field in FIELDS:
        cat.field(field)
    cat.checks.append(period_in_order)
