"""Publicity's steps: finance publishes a policy's approved claims as one list (公示通知);
anyone lodges an objection (异议) while it runs; the claim's department settles it.

Why finance publishes, one list per policy: the approved claims wait in finance's queue for
payout, finance knows when a clause's approvals of the year are all in (after the city
government's for the clauses that need it), and a 公示 is a public announcement of what the
city is about to pay; the clause's department, whose review is questioned, settles the
objections. Each step is one transaction; an upheld objection moves the claim back to review
through the one door (advance()), in the decision's transaction.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select

from approvals import limits
from approvals.claims.models import Claim
from approvals.claims.storage import sniff_type, store
from approvals.claims.tagged import in_states_tagged, is_tagged, trigger_with
from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.finance.models import BatchItem
from approvals.organisations.models import Department, User
from approvals.organisations.profile import EMAIL, EMAIL_MAX
from approvals.policies.models import Policy
from approvals.publicity import gate, messages
from approvals.publicity import notice as publicity_notice
from approvals.publicity.models import OPEN, Objection, Publicity, PublicityItem
from approvals.workflow import runtime
from approvals.workflow.calendar import add_working_days, load_overrides

PUBLISHERS = ("finance",)
OUTCOMES = ("upheld", "dismissed")
PHONE = re.compile(r"\+?[0-9][0-9 \-]{6,18}[0-9]")
NAME_MAX, PHONE_MAX = 64, 20
NOT_FOUND = "公示或公示项目不存在"


def _text(errors: dict, name: str, value, *, required: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    problem = limits.text_problem(text)
    if not text:
        problem = required
    elif len(text) > limit:
        problem = f"不能超过{limit}字"
    if problem:
        errors[name] = problem
    return text


# Publishing ------------------------------------------------------------------------------


def awaiting_clause():
    """SQL: the claim waits for payout, its terms require publicity, it is on no list now
    and in no batch."""
    listed = exists(
        select(PublicityItem.id).where(
            PublicityItem.claim_id == Claim.id, PublicityItem.status == gate.LISTED
        )
    )
    in_batch = select(BatchItem.claim_id)
    return (
        in_states_tagged("payable") & gate.needs_publicity() & ~listed & Claim.id.not_in(in_batch)
    )


def awaiting(policy_id: int | None = None) -> list[Claim]:
    query = select(Claim).where(awaiting_clause()).order_by(Claim.id)
    if policy_id is not None:
        query = query.where(Claim.policy_id == policy_id)
    return list(db.session.scalars(query))


def _issuer() -> Department:
    code = current_app.config["FINANCE_DEPARTMENT"]
    return db.session.scalar(select(Department).where(Department.code == code))


def publish(actor: User, policy_code: str, *, now: datetime | None = None) -> Publicity:
    """One list of every claim of the policy awaiting publicity, from today (Beijing) for the
    clause's working days, counting today when it is a working day; its 公示通知 numbered in
    finance's sequence, and each enterprise told."""
    if actor is None or actor.role not in PUBLISHERS:
        raise Forbidden("公示由市财政局发布")
    now = now or current_time()
    today = now.astimezone(LOCAL).date()
    with transaction():
        policy = db.session.scalar(select(Policy).where(Policy.code == policy_code))
        if policy is None:
            raise NotFound("政策条款不存在")
        query = (
            select(Claim)
            .where(awaiting_clause(), Claim.policy_id == policy.id)
            .order_by(Claim.id)
            .with_for_update()
        )
        claims = list(db.session.scalars(query))
        if not claims:
            raise Invalid("该政策没有待公示的申报", fields={"policy": "没有待公示的申报"})
        # Claims filed under different versions of the terms: the longest period holds.
        days = max(claim.terms.publicity_days for claim in claims)
        ends_on, provisional = add_working_days(today - timedelta(days=1), days, load_overrides())
        publicity = Publicity(
            policy=policy,
            department=_issuer(),
            published_by=actor,
            published_at=now,
            starts_on=today,
            ends_on=ends_on,
            days=days,
            provisional=provisional,
        )
        for claim in claims:
            publicity.items.append(
                PublicityItem(
                    claim_id=claim.id,
                    enterprise_name=claim.enterprise.name,
                    project_title=claim.project_title,
                    approved_amount=claim.approved_amount,
                )
            )
        db.session.add(publicity)
        db.session.flush()
        notice = publicity_notice.issue(publicity, now)
        for claim in claims:
            messages.published(claim, publicity, notice, now)
    return publicity


# Objections ------------------------------------------------------------------------------


def lodge(
    publicity_id: int,
    item_id: int,
    *,
    name,
    phone,
    email,
    grounds,
    data: bytes,
    filename: str,
    now: datetime | None = None,
) -> Objection:
    """An objection by anyone, signed in or not, while the list's period runs: who objects
    and how to reach them (a telephone or an e-mail address), the grounds, one evidence file
    (PDF, JPEG or PNG, kept in the evidence store). The department is told at once."""
    now = now or current_time()
    today = now.astimezone(LOCAL).date()
    item = db.session.get(PublicityItem, item_id)
    if item is None or item.publicity_id != publicity_id:
        raise NotFound(NOT_FOUND)
    if not item.publicity.running(today):
        raise Conflict("公示期已结束，不再受理异议", code="publicity_ended")
    if item.status != gate.LISTED:
        raise Conflict("该项目已退回重新审核，不在公示中", code="item_reopened")
    errors: dict = {}
    name = _text(errors, "name", name, required="请填写姓名或单位名称", limit=NAME_MAX)
    grounds = _text(errors, "grounds", grounds, required="请写明异议事实和理由",
                    limit=limits.COMMENT)  # fmt: skip
    phone = (phone or "").strip() if isinstance(phone, str) else ""
    email = (email or "").strip() if isinstance(email, str) else ""
    if not phone and not email:
        errors["phone"] = "请留下联系电话或电子邮箱"
    if phone and (len(phone) > PHONE_MAX or not PHONE.fullmatch(phone)):
        errors["phone"] = "联系电话格式不正确"
    if email and (len(email) > EMAIL_MAX or not EMAIL.fullmatch(email)):
        errors["email"] = "电子邮箱格式不正确"
    content_type = sniff_type((data or b"")[:16])
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if not data:
        errors["evidence"] = "请上传证明材料"
    elif len(data) > limit:
        errors["evidence"] = f"文件不能超过 {limit // (1024 * 1024)} MB"
    elif content_type is None:
        errors["evidence"] = "文件内容不是 PDF、JPEG 或 PNG，请上传这三种格式之一"
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    with transaction():
        claim = db.session.get(Claim, item.claim_id)
        objection = Objection(
            item=item,
            department_id=claim.department_id,
            lodged_at=now,
            objector_name=name,
            objector_phone=phone,
            objector_email=email,
            grounds=grounds,
            evidence_sha256=store(current_app.config["STORAGE_DIR"], data),
            evidence_filename=(filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
            or "证明材料",
            evidence_type=content_type,
            evidence_size=len(data),
        )
        db.session.add(objection)
        db.session.flush()
        messages.objection_lodged(objection, claim, now)
    return objection


def _department_objection(actor: User, objection_id: int) -> Objection:
    objection = db.session.get(Objection, objection_id)
    if (
        objection is None
        or actor.role != "reviewer"
        or actor.department_id != objection.department_id
    ):
        raise NotFound("异议不存在或无权查看")
    return objection


def department_objection(actor: User, objection_id: int) -> Objection:
    return _department_objection(actor, objection_id)


def resolve(
    actor: User, objection_id: int, outcome: str, reasons, *, now: datetime | None = None
) -> Objection:
    """The department settles an objection, with its reasons. Upheld: the claim goes back to
    its preliminary review through the one door, taken by the system on this decision, its
    reservation released and its item off the list; dismissed: the claim stays on its list.
    The enterprise is told either way."""
    objection = _department_objection(actor, objection_id)
    if outcome not in OUTCOMES:
        raise Invalid("请选择处理结果", fields={"outcome": "请选择异议成立或不成立"})
    errors: dict = {}
    # The move's comment carries the reasons after a short preamble, within its limit.
    reasons = _text(errors, "reasons", reasons, required="请写明处理意见和理由",
                    limit=limits.COMMENT - 100)  # fmt: skip
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    now = now or current_time()
    from approvals.claims.supplement import system_user

    system = system_user()  # created on first use, in a transaction of its own
    with runtime.stale_guard(), transaction():
        objection = db.session.get(Objection, objection_id, with_for_update=True,
                                   populate_existing=True)  # fmt: skip
        if objection.status != OPEN:
            raise Conflict("该异议已处理", code="objection_settled")
        objection.status, objection.resolution = outcome, reasons
        objection.resolved_by, objection.resolved_at = actor, now
        db.session.flush()
        claim = db.session.get(Claim, objection.item.claim_id, populate_existing=True)
        # Upheld while the claim still waits on this list: back to review. An item already
        # reopened by another upheld objection has nowhere further to go.
        if outcome == "upheld" and objection.item.status == gate.LISTED:
            if not is_tagged(claim, "payable"):
                raise Conflict("该申报已不在待拨付状态", code="claim_moved")
            runtime.advance(
                system,
                claim.id,
                trigger_with(claim, gate.REOPEN),
                version=claim.version,
                now=now,
                comment=f"公示异议成立（{objection.reference}，{actor.department.name}"
                f"{actor.display_name or actor.username}认定）：{reasons}",
            )
        messages.objection_settled(objection, claim, now)
    return objection
