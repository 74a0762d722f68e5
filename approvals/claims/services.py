"""Use cases on claims. Each call is one transaction; `advance` is the only state change."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from approvals import limits
from approvals.audit.snapshot import decision_facts
from approvals.claims import decisions, duplicates, evidence, signals
from approvals.claims.models import Attachment, Claim, ClaimEvent
from approvals.claims.permissions import can_edit, can_fire, can_view
from approvals.claims.supplement import deadline_terms
from approvals.db import transaction, utcnow
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.money import fmt, parse_amount
from approvals.notices import issue as notices
from approvals.organisations.models import User
from approvals.organisations.payee import frozen_payee_masked
from approvals.organisations.profile import freeze_payee_at_payout
from approvals.policies import amount_rules
from approvals.policies.models import Policy
from approvals.workflow.calendar import current_time
from approvals.workflow.deadlines import due_at
from approvals.workflow.engine import Engine, GuardFailed, IllegalTransition
from approvals.workflow.guards import GuardContext
from approvals.workflow.spec import TransitionSpec

LOCAL = ZoneInfo("Asia/Shanghai")
EDITABLE_STATES = ("draft", "returned")
TITLE_MAX = limits.PROJECT_TITLE


def engine_for(name: str) -> Engine:
    return current_app.extensions["approvals.workflows"][name]


def get_visible(actor: User, claim_id: int) -> Claim:
    """The claim, or 404 for a claim that does not exist or that `actor` may not see."""
    claim = db.session.get(Claim, claim_id)
    if claim is None or not can_view(actor, claim):
        raise NotFound("申报不存在或无权查看")
    return claim


def available_transitions(actor: User, claim: Claim) -> list[TransitionSpec]:
    engine = engine_for(claim.workflow)
    return [t for t in engine.triggers_from(claim.state) if can_fire(actor, claim, t)]


# Drafting -----------------------------------------------------------------------------


def _title(value, errors: dict) -> str | None:
    title = (value or "").strip() if isinstance(value, str | type(None)) else ""
    if not title:
        errors["project_title"] = "请填写项目名称"
    elif len(title) > TITLE_MAX:
        errors["project_title"] = f"项目名称不能超过{TITLE_MAX}字"
    return title


def _requested(value, policy: Policy | None, errors: dict):
    try:
        amount = parse_amount(value, "requested_amount")
    except Invalid as exc:
        errors.update(exc.fields)
        return None
    if policy is not None and amount > policy.cap:
        errors["requested_amount"] = f"申报金额不能超过政策上限 {policy.cap:,.2f} 元"
    return amount


def _amount_inputs(raw, policy: Policy | None, amount, errors: dict):
    """Validate the inputs of the policy's amount rule; the request may not exceed its maximum."""
    if policy is None:
        return None
    inputs, problems = amount_rules.validate_inputs(policy.amount_rule, raw)
    errors.update({f"amount_inputs.{name}": text for name, text in problems.items()})
    if problems or amount is None or not policy.amount_rule or "requested_amount" in errors:
        return inputs  # without a rule the policy's cap, checked above, is the limit
    computed = amount_rules.compute(policy.amount_rule, inputs, policy.cap)
    if amount > computed.maximum:
        errors["requested_amount"] = f"申报金额不能超过按政策计算的上限：{computed.text}"
    return inputs


def _raise_if(errors: dict) -> None:
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)


def create_claim(
    actor: User, policy_code: str, project_title: str, requested_amount, amount_inputs=None
) -> Claim:
    if actor.role != "enterprise":
        raise Forbidden("只有企业用户可以申报")
    errors: dict = {}
    policy = db.session.scalar(select(Policy).where(Policy.code == (policy_code or "")))
    if policy is None:
        errors["policy_code"] = "请选择有效的政策条款"
    title = _title(project_title, errors)
    amount = _requested(requested_amount, policy, errors)
    inputs = _amount_inputs(amount_inputs, policy, amount, errors)
    _raise_if(errors)
    engine = engine_for(policy.workflow)
    with transaction():
        duplicates.lock_enterprise(actor.enterprise_id)  # one live claim per policy and year
        claim = Claim(
            workflow=engine.spec.name,
            workflow_version=engine.spec.version,
            policy=policy,
            department_id=policy.department_id,
            enterprise_id=actor.enterprise_id,
            created_by=actor,
            project_title=title,
            requested_amount=amount,
            amount_inputs=inputs,
            state=engine.spec.initial,
        )
        db.session.add(claim)
        db.session.flush()
        duplicates.refuse_second(claim)
        claim.number = f"{policy.call_year}-{policy.department.code}-{claim.id:06d}"
    return claim


def _editable(actor: User, claim: Claim) -> None:
    decision = can_edit(actor, claim)
    if not decision:
        raise Forbidden(decision.reason)
    if claim.state not in EDITABLE_STATES:
        raise Conflict("只有草稿或待补正的申报可以修改", code="not_editable")


def update_claim(actor: User, claim_id: int, changes: dict, version: int | None = None) -> Claim:
    claim = get_visible(actor, claim_id)
    _editable(actor, claim)
    if version is not None and version != claim.version:
        raise Conflict("申报已被修改，请刷新后重试", code="stale_version")
    errors: dict = {}
    values = {}
    if "project_title" in changes:
        values["project_title"] = _title(changes["project_title"], errors)
    if "requested_amount" in changes:
        values["requested_amount"] = _requested(changes["requested_amount"], claim.policy, errors)
    if "amount_inputs" in changes or "requested_amount" in changes:
        raw = changes.get("amount_inputs", claim.amount_inputs)
        amount = values.get("requested_amount", claim.requested_amount)
        values["amount_inputs"] = _amount_inputs(raw, claim.policy, amount, errors)
    _raise_if(errors)
    with _stale_guard(), transaction():
        for key, value in values.items():
            setattr(claim, key, value)
        claim.updated_at = utcnow()
    return claim


def add_attachment(actor: User, claim_id: int, data: bytes, filename: str, kind: str):
    from approvals.claims.storage import sniff_type, store
    from approvals.policies.vocabulary import EVIDENCE_KINDS

    claim = get_visible(actor, claim_id)
    _editable(actor, claim)
    errors = {}
    if kind not in EVIDENCE_KINDS:
        errors["kind"] = "请选择材料类别"
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    content_type = sniff_type(data[:16])
    if not data:
        errors["file"] = "请选择要上传的文件"
    elif len(data) > limit:
        errors["file"] = f"文件不能超过 {limit // (1024 * 1024)} MB"
    elif content_type is None:
        errors["file"] = "文件内容不是 PDF、JPEG 或 PNG，请上传这三种格式之一"
    _raise_if(errors)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255] or "未命名"
    # Under the claim's row lock, re-checked there: see approvals/claims/evidence.py.
    with evidence.same_file_refused(), _stale_guard(), transaction():
        claim = evidence.locked_claim(claim.id)
        _editable(actor, claim)
        digest = store(current_app.config["STORAGE_DIR"], data)
        attachment = db.session.scalar(
            select(Attachment).where(
                Attachment.claim_id == claim.id,
                Attachment.sha256 == digest,
                Attachment.kind == kind,
            )
        )
        if attachment is None:  # the same file twice under one kind is kept once
            evidence.mark_changed(claim)
            attachment = Attachment(
                claim_id=claim.id,
                kind=kind,
                filename=name,
                content_type=content_type,
                size=len(data),
                sha256=digest,
                uploaded_by_id=actor.id,
            )
            db.session.add(attachment)
    return attachment


def remove_attachment(actor: User, claim_id: int, attachment_id: int) -> None:
    claim = get_visible(actor, claim_id)
    _editable(actor, claim)
    with _stale_guard(), transaction():
        claim = evidence.locked_claim(claim.id)
        _editable(actor, claim)  # re-checked under the lock: a submission may have won
        attachment = db.session.get(Attachment, attachment_id, populate_existing=True)
        if attachment is None or attachment.claim_id != claim.id:
            raise NotFound("材料不存在")
        evidence.mark_changed(claim)
        db.session.delete(attachment)


# The one door ---------------------------------------------------------------------------


class _stale_guard:
    """Turn a lost optimistic-lock race into a clear 409 instead of a server error."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, StaleDataError):
            raise Conflict("他人已先处理了该申报，请刷新后查看", code="stale_version") from exc
        return False


def advance(
    actor: User, claim_id: int, trigger: str, *, version, now: datetime | None = None, **payload
) -> Claim:
    """Fire `trigger` on the claim for `actor`: permission, guards, version check, audit
    event and notice, all in one transaction. `now` defaults to the application's clock."""
    claim = db.session.get(Claim, claim_id)
    if claim is None or (actor.role == "enterprise" and not can_view(actor, claim)):
        raise NotFound("申报不存在或无权查看")
    engine = engine_for(claim.workflow)
    if trigger not in engine.spec.triggers:
        # No move named: nothing to be refused for, so a claim this actor may not see
        # stays unseen (404) before the request is called malformed.
        if not can_view(actor, claim):
            raise NotFound("申报不存在或无权查看")
        raise Invalid(f"未知操作：{trigger}", fields={"trigger": "未知操作"})
    # Officials learn first whether the move is theirs at all (role, then department);
    # only then whether this claim is one they may see, and whether its state allows it.
    decision = can_fire(actor, claim, engine.spec.first(trigger))
    if not decision:
        raise Forbidden(decision.reason)
    # The system sees no claim; it reaches one only for a move the workflow gives it.
    if not (can_view(actor, claim) or actor.role == "system"):
        raise NotFound("申报不存在或无权查看")
    if not isinstance(version, int) or isinstance(version, bool):
        raise Invalid("请提供申报的版本号", fields={"version": "请提供版本号"})
    if version != claim.version:
        raise Conflict("他人已先处理了该申报，请刷新后查看", code="stale_version")
    candidates = engine.spec.candidates(trigger, claim.state)
    if not candidates:
        raise Conflict(
            f"申报当前状态为“{engine.spec.label(claim.state)}”，不能执行该操作",
            code="illegal_transition",
        )
    clean, errors = decisions.validate(claim, candidates[0].requires, payload)
    _raise_if(errors)
    now = now or current_time()
    ctx = GuardContext(today=now.astimezone(LOCAL).date())
    if "supplement_days" in clean:  # the 补正期限, counted from the Beijing date of the return
        clean.update(deadline_terms(clean["supplement_days"], ctx.today))
    with _stale_guard(), transaction():
        source = claim.state
        try:
            taken = engine.fire(claim, trigger, ctx)
        except IllegalTransition as exc:
            raise Conflict(str(exc), code="illegal_transition") from exc
        except GuardFailed as exc:
            raise Invalid(str(exc), code="condition_failed", fields=exc.reasons) from exc
        _apply(claim, engine, taken, clean, now)
        db.session.flush()  # the version check happens here, before a number is taken
        event = _record(claim, actor, taken, source, clean, now)
        signals.transitioned.send(claim, event=event, transition=taken, actor=actor, source=source)
        if taken.notice:
            issuer = actor.department or claim.policy.department
            notices.issue(claim, event, taken.notice, issuer)
    return claim


def _apply(claim: Claim, engine: Engine, taken: TransitionSpec, clean: dict, now: datetime):
    if "approved_amount" in clean:
        claim.approved_amount = clean["approved_amount"]
    if "payment_reference" in clean:
        claim.payment_reference = clean["payment_reference"]
    if taken.trigger == "disburse":  # the event, the ledger and the notice name this account
        freeze_payee_at_payout(claim)
    dest = engine.spec.states[taken.dest]
    if dest.queue == "finance":
        claim.reached_finance = True
    elif dest.queue == "government":
        claim.reached_government = True
    if taken.dest == "submitted" and taken.trigger == "submit":
        claim.submitted_at = now
        claim.supplement_due, claim.supplement_due_provisional = None, False
    if "supplement_due" in clean:  # set before the notice that prints it is issued
        claim.supplement_due = date.fromisoformat(clean["supplement_due"])
        claim.supplement_due_provisional = clean["supplement_due_provisional"]
    claim.due_at = due_at(dest.deadline, claim.policy.call_year)
    claim.decided_at = now if dest.final else None
    claim.updated_at = now


def _record(claim, actor, taken, source, clean, now) -> ClaimEvent:
    payload = {k: (fmt(v) if k == "approved_amount" else v) for k, v in clean.items()}
    payload.pop("comment", None)
    event = ClaimEvent(
        claim_id=claim.id,
        trigger=taken.trigger,
        from_state=source,
        to_state=taken.dest,
        actor_id=actor.id,
        at=now,
        comment=clean.get("comment"),
        payload=payload,
        snapshot={
            "state": claim.state,
            "requested_amount": fmt(claim.requested_amount),
            "approved_amount": fmt(claim.approved_amount),
            "payment_reference": claim.payment_reference,
            "payee": frozen_payee_masked(claim),
            "policy": {
                "code": claim.policy.code,
                "cap": fmt(claim.policy.cap),
                "requires_government_approval": claim.policy.requires_government_approval,
            },
            "evidence": [{"kind": a.kind, "sha256": a.sha256} for a in claim.attachments],
            "workflow": {"name": claim.workflow, "version": claim.workflow_version},
            **decision_facts(claim, actor),
        },
    )
    db.session.add(event)
    db.session.flush()
    return event
