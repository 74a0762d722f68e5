"""What an idle-land case adds to its notices: the parcel and its owner, the criteria met,
the period to rectify and the idle fee; and the fee itself, charged by the system's move.

The claim's claimant (申报单位) is the township that reported the parcel; the notices to
rectify, of the fee, of the repossession and of the closing are the land user's, so they are
addressed to the parcel's owner and copied to the township (approvals/idle_land/__init__.py
explains why the owner is not the claim's enterprise).
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select

from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.idle_land import criteria
from approvals.idle_land.models import IdleParcel
from approvals.notices.numerals import to_capital_yuan
from approvals.organisations.models import Department
from approvals.organisations.naming import full_name
from approvals.workflow.deadlines import last_day_of

NOTICE_EFFECT = "idle_land.notice"
FEE_EFFECT = "idle_land.charge_fee"
KINDS = (
    "idle_finding",
    "idle_notice",
    "idle_fee",
    "idle_repossession",
    "idle_closed",
    "idle_not_idle",
)
# To the city government, in the 文件格式; to the township that reported it; the rest to
# the land user, copied to the township.
TO_GOVERNMENT = "idle_finding"
TO_TOWNSHIP = "idle_not_idle"


def parcel_of(claim_id: int) -> IdleParcel | None:
    return db.session.scalar(select(IdleParcel).where(IdleParcel.claim_id == claim_id))


def reported_on(claim) -> date:
    """The day the criteria are checked: the report's (or today's, for a draft)."""
    from approvals.clock import local_today

    if claim.submitted_at is None:
        return local_today()
    return claim.submitted_at.astimezone(LOCAL).date()


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def parcel_facts(parcel: IdleParcel, claim) -> dict:
    """The parcel as a notice prints it: plain text, so the stored facts render alone."""
    met = criteria.met(parcel, reported_on(claim))
    facts = {
        "owner_name": parcel.owner.name,
        "owner_credit_code": parcel.owner.credit_code,
        "township": claim.enterprise.name,
        "land_number": parcel.land_number,
        "location": parcel.location,
        "land_area": f"{parcel.land_area:,.2f}",
        "granted_on": _day(parcel.granted_on),
        "agreed_start_on": _day(parcel.agreed_start_on),
        "land_premium": f"{parcel.land_premium:,.2f}",
        "land_premium_capital": to_capital_yuan(parcel.land_premium),
        "criteria": [f.criterion.label_zh for f in met],
        "criteria_details": [f"{f.criterion.label_zh}（{f.detail}）" for f in met],
        "fee_share": criteria.percent(criteria.rules().fee_share, 1),
        # Every key is always there ("" when not yet known): the templates read them strictly.
        "idle_fee": "",
        "idle_fee_capital": "",
        "period_until": _day(last_day_of(claim.due_at)) if claim.due_at else "",
    }
    if parcel.idle_fee is not None:
        facts["idle_fee"] = f"{parcel.idle_fee:,.2f}"
        facts["idle_fee_capital"] = to_capital_yuan(parcel.idle_fee)
    return facts


def _government() -> str:
    code = current_app.config["GOVERNMENT_DEPARTMENT"]
    return full_name(db.session.scalar(select(Department).where(Department.code == code)))


def add_to_notice(step) -> None:
    """The `idle_land.notice` effect: the parcel's facts and the addressee, for the notice
    the move issues after its effects."""
    claim, kind = step.subject, step.transition.notice
    parcel = parcel_of(claim.id)
    facts = {"parcel": parcel_facts(parcel, claim)}
    if kind == TO_GOVERNMENT:
        facts.update(letter=False, addressee=_government(), cc=())
    elif kind == TO_TOWNSHIP:
        facts.update(letter=True, addressee=claim.enterprise.name, cc=())
    else:
        facts.update(letter=True, addressee=parcel.owner.name, cc=(claim.enterprise.name,))
    step.notice_facts.update(facts)


def charge_fee(step) -> None:
    """The `idle_land.charge_fee` effect: 土地闲置费, the criteria file's share of the land
    premium, recorded on the parcel and in the move's event (a "claim" stage effect: before
    the event is written, which is never changed after)."""
    parcel = parcel_of(step.subject.id)
    parcel.idle_fee = criteria.idle_fee(parcel.land_premium)
    step.facts["idle_fee"] = f"{parcel.idle_fee:.2f}"


def check_spec(spec) -> list[tuple[int, str]]:
    """Load-time check: a move issuing an idle-land notice names the effect that gives the
    notice its parcel."""
    problems = []
    for t in spec.transitions:
        if t.notice in KINDS and NOTICE_EFFECT not in t.effects:
            problems.append((t.line, f"'{t.trigger}': notice '{t.notice}' needs {NOTICE_EFFECT}"))
    return problems
