"""Use cases of idle-land cases: the township's report (a draft Claim on workflows/idle_land
with its parcel), read back for the pages. Every state change goes through advance()."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from approvals import limits
from approvals.claims.models import Claim
from approvals.clock import local_today
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid
from approvals.extensions import db
from approvals.i18n import N_
from approvals.idle_land.models import LAND_NUMBER_MAX, LOCATION_MAX, IdleParcel
from approvals.money import number_text
from approvals.organisations.models import Enterprise
from approvals.policies.models import Policy
from approvals.workflow.registry import workflows

WORKFLOW = "idle_land"
# Who reports suspected idle land: the townships (乡镇、街道) that track the projects in
# their area. Not through the claim form: the clause lists no claimant type, and a report
# comes with its parcel's facts.
REPORTERS = ("township",)
MAX_FIGURE = Decimal("999999999999.99")  # NUMERIC(14, 2)
# The facts a report gives, in the form's order: (name, kind); kinds parsed below.
FACTS = (
    ("owner_credit_code", "text"),
    ("land_number", "text"),
    ("location", "text"),
    ("land_area", "positive"),
    ("granted_on", "date"),
    ("land_premium", "positive"),
    ("agreed_start_on", "date"),
    ("started_on", "optional_date"),
    ("planned_area", "positive"),
    ("built_area", "progress"),
    ("planned_investment", "positive"),
    ("invested", "progress"),
)
TEXT_MAX = {
    "owner_credit_code": limits.CREDIT_CODE,
    "land_number": LAND_NUMBER_MAX,
    "location": LOCATION_MAX,
}
NOT_A_NUMBER = N_("应为数字，最多两位小数，如 12000.50")
NOT_A_DATE = N_("日期格式应为 2026-05-31")
REQUIRED = N_("请填写")


def _figure(raw, positive: bool) -> tuple[Decimal | None, str | None]:
    text = number_text(raw) if raw not in (None, "") else None
    if raw in (None, ""):
        return None, REQUIRED
    if text is None or len(text.partition(".")[2].rstrip("0")) > 2:
        return None, NOT_A_NUMBER
    value = Decimal(text)
    if value < 0 or (positive and value == 0):
        return None, N_("必须大于0") if positive else N_("不能为负数")
    if value > MAX_FIGURE:
        return None, N_("数值过大")
    return value.quantize(Decimal("0.01")), None


def _date(raw, optional: bool) -> tuple[date | None, str | None]:
    if raw in (None, ""):
        return None, None if optional else REQUIRED
    try:
        return date.fromisoformat(str(raw)), None
    except ValueError:
        return None, NOT_A_DATE


def parse_facts(raw: dict) -> dict:
    """The report's facts from form or JSON values; Invalid naming every wrong field."""
    values, errors = {}, {}
    for name, kind in FACTS:
        value = raw.get(name)
        if kind == "text":
            value = value.strip() if isinstance(value, str) else ""
            problem = REQUIRED if not value else None
            if len(value) > TEXT_MAX[name]:
                problem = f"不能超过{TEXT_MAX[name]}字"
        elif kind in ("date", "optional_date"):
            value, problem = _date(value, kind == "optional_date")
        else:
            value, problem = _figure(value, kind == "positive")
        if problem:
            errors[name] = problem
        values[name] = value
    if not errors:
        if values["agreed_start_on"] < values["granted_on"]:
            errors["agreed_start_on"] = N_("约定动工日期不能早于供地日期")
        if values["started_on"] and values["started_on"] < values["granted_on"]:
            errors["started_on"] = N_("实际动工日期不能早于供地日期")
        if values["started_on"] and values["started_on"] > local_today():
            errors["started_on"] = N_("实际动工日期不能晚于今天")
    if errors:
        raise Invalid("；".join(f"{k}：{v}" for k, v in errors.items()), fields=errors)
    return values


def idle_policy() -> Policy:
    """The clause idle-land cases are filed under (the land bureau's 闲置工业用地处置)."""
    policy = db.session.scalar(
        select(Policy).where(Policy.workflow == WORKFLOW).order_by(Policy.id).limit(1)
    )
    if policy is None:
        raise Conflict(N_("尚未设置闲置工业用地处置条款"), code="no_idle_land_clause")
    return policy


def _owner(credit_code: str) -> Enterprise:
    owner = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == credit_code))
    if owner is None or not owner.is_enterprise:
        problem = N_("未找到该统一社会信用代码的企业")
        raise Invalid(problem, fields={"owner_credit_code": problem})
    return owner


def _live_case(land_number: str) -> Claim | None:
    """A case of the same parcel not yet ended: one parcel, one case at a time."""
    spec = workflows().get(WORKFLOW).spec
    ended = [name for name, state in spec.states.items() if state.final]
    query = (
        select(Claim)
        .join(IdleParcel, IdleParcel.claim_id == Claim.id)
        .where(IdleParcel.land_number == land_number, Claim.state.not_in(ended))
    )
    return db.session.scalar(query.limit(1))


def reports(actor) -> bool:
    """Whether `actor` is a user of an organisation that reports suspected idle land."""
    return actor.role == "enterprise" and actor.enterprise.claimant_type in REPORTERS


def file_report(actor, raw: dict) -> Claim:
    """A township's draft report of a parcel it suspects idle; it reports it by the
    workflow's `report` move, which checks the criteria."""
    if not reports(actor):
        raise Forbidden(N_("只有乡镇（街道）用户可以报送疑似闲置土地"))
    policy = idle_policy()
    facts = parse_facts(raw)
    owner = _owner(facts.pop("owner_credit_code"))
    engine = workflows().get(WORKFLOW)
    with transaction():
        existing = _live_case(facts["land_number"])
        if existing is not None:
            raise Conflict(
                f"该地块已有未办结的闲置土地处置（编号 {existing.number}）",
                code="duplicate_case",
                fields={"existing_claim_id": existing.id},
            )
        title = f"{facts['location']}（{facts['land_number']}）"[: limits.PROJECT_TITLE]
        claim = Claim(
            workflow=engine.spec.name,
            workflow_version=engine.spec.version,
            policy=policy,
            department_id=policy.department_id,
            enterprise_id=actor.enterprise_id,
            created_by=actor,
            project_title=title,
            requested_amount=None,
            state=engine.spec.initial,
        )
        db.session.add(claim)
        db.session.flush()
        claim.number = f"{local_today().year}-{policy.department.code}-{claim.id:06d}"
        db.session.add(IdleParcel(claim_id=claim.id, owner_id=owner.id, **facts))
    return claim
