"""The 申请认定表's steps: prepared (经办), checked (审核), approved and sent (审批), or sent back.

Each step is one transaction and one audited event on the form (who, in which position,
when, what they wrote). Three different people sign a form (双人把关), each of the position
their step names, in the form's own department. Sending issues the form's one notice to
市财政局（企业科） and moves every claim it lists on to finance through the runtime's own
`take()`, in the same transaction: the claims' events, effects and deadlines are those of a
move like any other, and the form is sent with all of them or with none.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from approvals import limits
from approvals.access.roles import POSITION_LABELS
from approvals.access.tasks import STEP_LABELS
from approvals.claims.models import Claim, ClaimEvent
from approvals.clock import current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.policies.models import Policy
from approvals.recognition_forms import notice as form_notice
from approvals.recognition_forms.models import (
    LIVE,
    RecognitionForm,
    RecognitionFormEvent,
    RecognitionFormItem,
)
from approvals.recognition_forms.waiting import forward_trigger, on_live_form, waiting_clause
from approvals.workflow import runtime
from approvals.workflow.registry import CATALOG, engine_for

NOT_VISIBLE = N_("申请认定表不存在或无权查看")
STALE = N_("他人已先处理了该申请认定表，请刷新后查看")
READERS = ("finance", "government", "admin")  # they see the forms that were sent
# Whose step each status awaits: the position that signs it, and the action it takes.
NEXT_STEP = {"prepared": ("section_chief", "check"), "checked": ("leader", "send")}


def require_position(actor, position: str, department_id: int | None = None) -> None:
    """Refused unless `actor` is a reviewer of the form's department holding `position`."""
    step = STEP_LABELS[position]
    if actor.role != "reviewer" or actor.department_id is None:
        raise Forbidden(f"申请认定表的“{step}”由职能部门的{POSITION_LABELS[position]}办理")
    if department_id is not None and actor.department_id != department_id:
        raise NotFound(NOT_VISIBLE)
    if actor.position != position:
        raise Forbidden(f"该环节（{step}）须由{POSITION_LABELS[position]}办理")


def _comment(value, *, required: bool = False) -> str:
    if value is not None and not isinstance(value, str):
        raise Invalid("意见应为文字", fields={"comment": "意见应为文字"})
    text = (value or "").strip()
    problem = limits.text_problem(text)
    if len(text) > limits.COMMENT:
        problem = f"意见不能超过{limits.COMMENT}字"
    if required and not text:
        problem = "退回时请填写理由"
    if problem:
        raise Invalid(problem, fields={"comment": problem})
    return text


def _year(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise Invalid("请选择申报年度", fields={"call_year": "应为申报年度，如 2026"})
    return value


def _event(form: RecognitionForm, action: str, actor, now: datetime, comment: str = ""):
    form.events.append(
        RecognitionFormEvent(
            action=action, actor_id=actor.id, position=actor.position, at=now, comment=comment
        )
    )


# Reading ---------------------------------------------------------------------------------


def visible_clause(actor):
    """SQL: the forms `actor` may see: its department's; the city offices' sent ones."""
    if actor.role == "reviewer" and actor.department_id is not None:
        return RecognitionForm.department_id == actor.department_id
    if actor.role in READERS:
        return RecognitionForm.status == "sent"
    return RecognitionForm.id.is_(None)


def list_forms(actor, call_year: int | None = None) -> list[RecognitionForm]:
    query = (
        select(RecognitionForm)
        .where(visible_clause(actor))
        .options(selectinload(RecognitionForm.department))
        .order_by(RecognitionForm.call_year.desc(), RecognitionForm.id.desc())
    )
    if call_year is not None:
        query = query.where(RecognitionForm.call_year == call_year)
    return list(db.session.scalars(query))


def get_form(actor, form_id: int) -> RecognitionForm:
    form = db.session.scalar(
        select(RecognitionForm).where(RecognitionForm.id == form_id, visible_clause(actor))
    )
    if form is None:
        raise NotFound(NOT_VISIBLE)
    return form


def waiting_claims(department_id: int, call_year: int | None = None) -> list[Claim]:
    """The department's claims awaiting a form and on none on its way, oldest first."""
    query = (
        select(Claim)
        .join(Policy, Policy.id == Claim.policy_id)
        .where(Claim.department_id == department_id, waiting_clause(), ~on_live_form())
        .order_by(Claim.id)
    )
    if call_year is not None:
        query = query.where(Policy.call_year == call_year)
    return list(db.session.scalars(query))


def waiting_years(department_id: int) -> list[tuple[int, int]]:
    """(call year, claims waiting) for the department, oldest year first."""
    query = (
        select(Policy.call_year, func.count(Claim.id))
        .join(Policy, Policy.id == Claim.policy_id)
        .where(Claim.department_id == department_id, waiting_clause(), ~on_live_form())
        .group_by(Policy.call_year)
        .order_by(Policy.call_year)
    )
    return [(year, count) for year, count in db.session.execute(query)]


def actions(actor, form: RecognitionForm) -> list[str]:
    """The steps `actor` may take on the form now ("check", "send", "return"), for pages."""
    step = NEXT_STEP.get(form.status)
    if step is None or actor.role != "reviewer" or actor.department_id != form.department_id:
        return []
    position, action = step
    signed = {form.prepared_by_id, form.checked_by_id}
    if actor.position != position or actor.id in signed:
        return []
    return [action, "return"]


# The steps -------------------------------------------------------------------------------


def _approval_opinion(claim_id: int) -> str:
    """The department's opinion on the claim: the comment of the move that brought it here."""
    return (
        db.session.scalar(
            select(ClaimEvent.comment)
            .where(ClaimEvent.claim_id == claim_id)
            .order_by(ClaimEvent.id.desc())
            .limit(1)
        )
        or ""
    )


def prepare(actor, call_year, comment=None, *, now: datetime | None = None) -> RecognitionForm:
    """经办: the case officer's form for a call year, listing every claim of the department
    of that year awaiting one, with its assessed amount and opinion as they stand now."""
    require_position(actor, "case_officer")
    year, text = _year(call_year), _comment(comment)
    now = now or current_time()
    with transaction():
        live = db.session.scalar(
            select(RecognitionForm.id).where(
                RecognitionForm.department_id == actor.department_id,
                RecognitionForm.call_year == year,
                RecognitionForm.status.in_(LIVE),
            )
        )
        if live is not None:
            raise Conflict(
                f"本部门{year}年度已有一份待审核的申请认定表，请待其报送或退回后再填报",
                code="form_pending",
            )
        claims = waiting_claims(actor.department_id, year)
        if not claims:
            raise Invalid(
                f"本部门{year}年度没有待报送认定表的申报", fields={"call_year": "没有待报送的申报"}
            )
        form = RecognitionForm(
            department_id=actor.department_id,
            call_year=year,
            status="prepared",
            prepared_by=actor,
            prepared_at=now,
        )
        for claim in claims:
            form.items.append(
                RecognitionFormItem(
                    claim_id=claim.id,
                    approved_amount=claim.approved_amount,
                    opinion=_approval_opinion(claim.id),
                )
            )
        _event(form, "prepare", actor, now, text)
        db.session.add(form)
    return form


def _load(actor, form_id: int, version, status: str) -> RecognitionForm:
    form = db.session.get(RecognitionForm, form_id)
    if form is None or actor.role != "reviewer" or actor.department_id != form.department_id:
        raise NotFound(NOT_VISIBLE)
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid("请提供申请认定表的版本号", fields={"version": "请提供版本号"})
    if version != form.version:
        raise Conflict(STALE, code="stale_version")
    if form.status != status:
        raise Conflict(f"申请认定表当前为“{status_label(form.status)}”，不能办理该环节",
                       code="illegal_step")  # fmt: skip
    return form


def _four_eyes(actor, form: RecognitionForm) -> None:
    signed = [form.prepared_by_id, form.checked_by_id]
    if actor.id in signed:
        step = STEP_LABELS["case_officer" if actor.id == signed[0] else "section_chief"]
        raise Forbidden(
            f"您已办理该申请认定表的“{step}”：同一认定表的经办、审核、审批须由三个不同的人办理（双人把关）",
            code="four_eyes",
        )


def check(actor, form_id: int, *, version, comment=None, now=None) -> RecognitionForm:
    """审核: the section chief signs the prepared form."""
    require_position(actor, "section_chief")
    form = _load(actor, form_id, version, "prepared")
    _four_eyes(actor, form)
    text, now = _comment(comment), now or current_time()
    with runtime.stale_guard(STALE), transaction():
        form.status, form.checked_by, form.checked_at = "checked", actor, now
        _event(form, "check", actor, now, text)
    return form


def send_back(actor, form_id: int, *, version, comment=None, now=None) -> RecognitionForm:
    """退回: the official whose step it is refuses the form, with the reason; it is void, and
    its claims wait for a form prepared again (corrected first, if need be)."""
    form = db.session.get(RecognitionForm, form_id)
    if form is None or actor.role != "reviewer" or actor.department_id != form.department_id:
        raise NotFound(NOT_VISIBLE)
    if form.status not in NEXT_STEP:
        raise Conflict(
            f"申请认定表当前为“{status_label(form.status)}”，不能退回", code="illegal_step"
        )
    require_position(actor, NEXT_STEP[form.status][0], form.department_id)
    form = _load(actor, form_id, version, form.status)
    _four_eyes(actor, form)
    text, now = _comment(comment, required=True), now or current_time()
    with runtime.stale_guard(STALE), transaction():
        form.status = "sent_back"
        _event(form, "return", actor, now, text)
    return form


def _lock_claims(form: RecognitionForm) -> list[Claim]:
    """The listed claims' rows, held to the end of the sending and read afresh."""
    ids = [item.claim_id for item in form.items]
    query = (
        select(Claim)
        .where(Claim.id.in_(ids))
        .order_by(Claim.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(query))


def send(actor, form_id: int, *, version, comment=None, now=None) -> RecognitionForm:
    """审批 and 报送: the leader approves the checked form; it is numbered (第N批), issued as
    one notice to 市财政局（企业科）, and every claim it lists moves on to finance, all in one
    transaction."""
    require_position(actor, "leader")
    form = _load(actor, form_id, version, "checked")
    _four_eyes(actor, form)
    text, now = _comment(comment), now or current_time()
    kind = current_app.extensions[CATALOG].subjects
    with runtime.stale_guard(STALE), transaction():
        claims = _lock_claims(form)
        moved = [c.number for c in claims if forward_trigger(c) is None]
        if moved:
            raise Conflict(
                "认定表所列申报已不在待报送状态，请退回认定表后重新填报：" + "、".join(moved),
                code="claims_moved",
            )
        seq = db.session.scalar(
            select(func.max(RecognitionForm.seq)).where(
                RecognitionForm.department_id == form.department_id,
                RecognitionForm.call_year == form.call_year,
            )
        )
        form.status, form.seq = "sent", (seq or 0) + 1
        form.sent_by, form.sent_at = actor, now
        _event(form, "send", actor, now, text)
        db.session.flush()  # the form's version check, before a number is taken
        form_notice.issue(form, now)
        db.session.flush()  # the notice written, so each claim's event names its number
        for claim in claims:
            trigger = forward_trigger(claim)
            decision = kind.can_fire(actor, claim, engine_for(claim).spec.first(trigger))
            if not decision:
                raise Forbidden(decision.reason)
            runtime.take(actor, claim, trigger, {}, now)
    return form


STATUS_LABELS = {
    "prepared": N_("待审核"),
    "checked": N_("待审批"),
    "sent": N_("已报送"),
    "sent_back": N_("已退回"),
}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
