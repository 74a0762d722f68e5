"""Use cases on claims: drafting and evidence. Each call is one transaction; every state
change goes through the one door, approvals/workflow/runtime.py `advance()`."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from approvals import limits
from approvals.access import can_edit, can_view
from approvals.claims import claimants, duplicates, evidence
from approvals.claims.models import Attachment, Claim
from approvals.clock import current_time
from approvals.db import transaction, utcnow
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.money import parse_amount
from approvals.organisations.models import User
from approvals.policies import amount_rules
from approvals.policies.models import Policy
from approvals.workflow.deadlines import step_due
from approvals.workflow.registry import engine_for, workflows
from approvals.workflow.runtime import stale_guard

TITLE_MAX = limits.PROJECT_TITLE


def get_visible(actor: User, claim_id: int) -> Claim:
    """The claim, or 404 for a claim that does not exist or that `actor` may not see."""
    claim = db.session.get(Claim, claim_id)
    if claim is None or not can_view(actor, claim):
        raise NotFound("申报不存在或无权查看")
    return claim


# Drafting -----------------------------------------------------------------------------


def _title(value, errors: dict) -> str | None:
    title = (value or "").strip() if isinstance(value, str | type(None)) else ""
    if not title:
        errors["project_title"] = N_("请填写项目名称")
    elif len(title) > TITLE_MAX:
        errors["project_title"] = f"项目名称不能超过{TITLE_MAX}字"
    return title


def _requested(value, policy: Policy | None, errors: dict):
    if policy is not None and policy.is_recognition:
        # 税收分成认定: the outcome is a share and a period, never an amount.
        if value not in (None, ""):
            errors["requested_amount"] = N_("税收分成认定不填写申报金额：认定的是分成比例和期限")
        return None
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
    return draft_claim(
        actor, actor.enterprise, policy_code, project_title, requested_amount, amount_inputs
    )


def draft_claim(
    creator: User,
    enterprise,
    policy_code: str,
    project_title: str,
    requested_amount,
    amount_inputs=None,
    *,
    agent: User | None = None,
) -> Claim:
    """A new draft of `enterprise`'s, created by `creator`: the enterprise's own user, or the
    official filing it on the enterprise's behalf (`agent`, approvals/claims/agency.py), who
    files only under the clauses of its own department."""
    errors: dict = {}
    policy = db.session.scalar(select(Policy).where(Policy.code == (policy_code or "")))
    if policy is None:
        errors["policy_code"] = N_("请选择有效的政策条款")
    elif agent is not None and policy.department_id != agent.department_id:
        errors["policy_code"] = N_("只能代办本部门的政策条款")
    elif refused := claimants.refusal(enterprise, policy):
        raise Invalid(refused, code="claimant_type", fields={"policy_code": refused})
    title = _title(project_title, errors)
    amount = _requested(requested_amount, policy, errors)
    inputs = _amount_inputs(amount_inputs, policy, amount, errors)
    _raise_if(errors)
    engine = workflows().get(policy.workflow)
    initial = engine.spec.states[engine.spec.initial]
    with transaction():
        duplicates.lock_enterprise(enterprise.id)  # one live claim per policy and year
        claim = Claim(
            workflow=engine.spec.name,
            workflow_version=engine.spec.version,
            policy=policy,
            department_id=policy.department_id,
            enterprise_id=enterprise.id,
            created_by=creator,
            agent=agent,
            project_title=title,
            requested_amount=amount,
            amount_inputs=inputs,
            state=engine.spec.initial,
            # A draft's deadline is its workflow's for declaring (e.g. by the end of December).
            due_at=step_due(initial, policy.call_year, current_time())[0],
        )
        db.session.add(claim)
        db.session.flush()
        duplicates.refuse_second(claim)
        claim.number = f"{policy.call_year}-{policy.department.code}-{claim.id:06d}"
    return claim


def is_editable(claim: Claim) -> bool:
    """The enterprise may change a claim in a state its workflow tags `editable`."""
    return engine_for(claim).spec.has_tag(claim.state, "editable")


def _editable(actor: User, claim: Claim) -> None:
    decision = can_edit(actor, claim)
    if not decision:
        raise Forbidden(decision.reason)
    if not is_editable(claim):
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
        values["requested_amount"] = _requested(changes["requested_amount"], claim.terms, errors)
    if "amount_inputs" in changes or "requested_amount" in changes:
        raw = changes.get("amount_inputs", claim.amount_inputs)
        amount = values.get("requested_amount", claim.requested_amount)
        values["amount_inputs"] = _amount_inputs(raw, claim.terms, amount, errors)
    _raise_if(errors)
    with stale_guard(), transaction():
        for key, value in values.items():
            setattr(claim, key, value)
        claim.updated_at = utcnow()
    return claim


def add_attachment(actor: User, claim_id: int, data: bytes, filename: str, kind: str):
    from approvals.claims.storage import store
    from approvals.policies.vocabulary import EVIDENCE_KINDS

    claim = get_visible(actor, claim_id)
    _editable(actor, claim)
    errors = {}
    if kind not in EVIDENCE_KINDS:
        errors["kind"] = N_("请选择材料类别")
    # The checks every evidence file passes, here as in the document library.
    content_type, problem = evidence.file_problem(data, current_app.config["MAX_UPLOAD_BYTES"])
    if problem:
        errors["file"] = problem
    _raise_if(errors)
    name = evidence.shown_name(filename)
    # Under the claim's row lock, re-checked there: see approvals/claims/evidence.py.
    with evidence.same_file_refused(), stale_guard(), transaction():
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
    with stale_guard(), transaction():
        claim = evidence.locked_claim(claim.id)
        _editable(actor, claim)  # re-checked under the lock: a submission may have won
        attachment = db.session.get(Attachment, attachment_id, populate_existing=True)
        if attachment is None or attachment.claim_id != claim.id:
            raise NotFound("材料不存在")
        evidence.mark_changed(claim)
        db.session.delete(attachment)
