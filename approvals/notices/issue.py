"""Issue the notice of a transition: number it and record its facts, in the transition's
transaction; its PDF is rendered from those facts after the commit (approvals/notices/outbox.py)."""

from __future__ import annotations

import secrets
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from approvals import reference
from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.notices import joint, outbox, signers
from approvals.notices.addressing import COUNTERSIGN, Offices, address
from approvals.notices.facts import NoticeFacts, ReceivedFile, facts_to_json, supplement_lines
from approvals.notices.models import Notice
from approvals.notices.numbering import format_number, next_seq
from approvals.organisations.models import Department
from approvals.organisations.naming import full_name
from approvals.organisations.payee import mask_account
from approvals.policies.vocabulary import EVIDENCE_KINDS
from approvals.workflow.registry import engine_for

__all__ = [
    "facts_to_json",
    "full_name",
    "issue",
    "issue_for_event",
    "new_verification_code",
    "verify_url",
]

# Verification codes avoid characters that read alike (0/O, 1/I/L).
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def verify_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def _office_name(code_setting: str) -> str:
    """The full name of a city office (finance, government) as notices print it, from the
    departments' names kept for a minute (approvals/reference.py): nearly every notice
    names both."""
    return reference.cached(OFFICES, _full_names).get(current_app.config[code_setting], "")


def _full_names() -> dict[str, str]:
    return {d.code: full_name(d) for d in db.session.scalars(select(Department))}


OFFICES = "notices.office_names"
reference.watch(Department, OFFICES)


def _role_of(issuer: Department) -> str:
    if issuer.code == current_app.config["FINANCE_DEPARTMENT"]:
        return "finance"
    if issuer.code == current_app.config["GOVERNMENT_DEPARTMENT"]:
        return "government"
    return "department"


def _resubmission(claim, event) -> bool:
    from approvals.claims.models import ClaimEvent  # claims builds on notices, not back

    earlier = db.session.scalar(
        select(func.count())
        .select_from(ClaimEvent)
        .where(
            ClaimEvent.claim_id == claim.id,
            ClaimEvent.trigger == event.trigger,
            ClaimEvent.id < event.id,
        )
    )
    return bool(earlier)


def _path_facts(claim, event, kind: str, issuer: Department) -> dict:
    """What the wording needs to say only what is true for the path actually taken."""
    spec = engine_for(claim).spec
    states = spec.states
    from_queue = states[event.from_state].queue if event.from_state in states else None
    to_queue = states[event.to_state].queue if event.to_state in states else None
    offices = Offices(
        issuer=full_name(issuer),
        reviewer=full_name(claim.department),  # the policy's, or the one it was transferred to
        finance=_office_name("FINANCE_DEPARTMENT"),
        government=_office_name("GOVERNMENT_DEPARTMENT"),
        issuer_role=_role_of(issuer),
    )
    addressing = address(kind, to_queue or "", offices, claim.enterprise.name)
    payload = event.payload or {}
    values = {
        "issuer_full_name": offices.issuer,
        "letter": addressing.letter,
        "addressee": addressing.addressee,
        "cc": addressing.cc,
        "contact_name": issuer.contact_name or "",
        "contact_phone": issuer.contact_phone or "",
        "reviewer_name": offices.reviewer,
        "trigger": event.trigger,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "from_queue": from_queue or "",
        "to_queue": to_queue or "",
        "via_government": bool(claim.reached_government),
        "submitted_at": claim.submitted_at,
        # The basis of the clause's terms the claim was filed under (its policy version).
        "basis_title": claim.terms.basis_title or "",
        "basis_number": claim.terms.basis_number or "",
        "basis_clause": claim.terms.basis_clause or "",
        # The department/township track: the joint review, a recognition's outcome.
        "joint_reviewers": joint.joint_reviewers(claim),
        "recognised_share": claim.recognised_share,
        "share_from": claim.share_from,
        "share_until": claim.share_until,
    }
    if kind == "receipt":
        values["resubmission"] = _resubmission(claim, event)
        values["received"] = tuple(
            ReceivedFile(
                kind=EVIDENCE_KINDS.get(a.kind, a.kind),
                filename=a.filename,
                sha256_prefix=a.sha256[:8],
            )
            for a in sorted(claim.attachments, key=lambda a: a.id)
        )
    if kind in ("supplement", "lapse"):
        values["supplement_due"] = claim.supplement_due
        days = payload.get("supplement_days")
        values["supplement_days"] = int(days) if days is not None else None
        values["supplement_due_provisional"] = bool(payload.get("supplement_due_provisional"))
        values["supplement_items"] = supplement_lines(payload)  # the itemised 补正
    if kind == COUNTERSIGN:
        values["signers"] = signers.decision_signers(event)
        prepared = payload.get("prepared") or {}
        if prepared.get("approved_amount") is not None:
            values["proposed_amount"] = Decimal(str(prepared["approved_amount"]))
    else:
        values["signers"] = signers.round_signers(claim, event)
    if kind == "payout":
        values["paid_amount"] = claim.paid_amount
        values["reduction"] = claim.reduction
        values["reduction_reason"] = claim.reduction_reason
        values["payee_bank_name"] = claim.payee_bank_name
        values["payee_account"] = mask_account(claim.payee_account) or None
        values["payee_account_name"] = claim.payee_account_name
    return values


def issue(claim, event, kind: str, issuer: Department, effect_facts: dict | None = None) -> Notice:
    """Create the notice for `event`; the caller's transaction commits or discards it.

    `effect_facts` are what the move's effects recorded for its notice (e.g. a recovery's
    amounts from its ledger row), named as `NoticeFacts` fields; they win over the path's.
    """
    year = event.at.astimezone(LOCAL).year
    seq = next_seq(issuer.id, year)
    code = new_verification_code()
    facts = NoticeFacts(
        kind=kind,
        number=format_number(issuer.notice_prefix, year, seq),
        issuer_code=issuer.code,
        issuer_name=issuer.name,
        issued_at=event.at,
        enterprise_name=claim.enterprise.name,
        credit_code=claim.enterprise.credit_code,
        claim_number=claim.number,
        policy_code=claim.policy.code,
        policy_title=claim.terms.title_zh,
        funding_type=claim.terms.funding_type_label,
        project_title=claim.project_title,
        requested_amount=claim.requested_amount,
        approved_amount=claim.approved_amount,
        comment=event.comment,
        payment_reference=claim.payment_reference if kind == "payout" else None,
        verification_code=code,
        verify_url=verify_url(code),
        **(_path_facts(claim, event, kind, issuer) | (effect_facts or {})),
    )
    notice = Notice(
        claim_id=claim.id,
        event_id=event.id,
        kind=kind,
        department_id=issuer.id,
        year=year,
        seq=seq,
        number=facts.number,
        verification_code=code,
        facts=facts_to_json(facts),
        issued_at=event.at,
    )
    db.session.add(notice)
    # Rendered from its facts once the transaction has committed (the outbox): never while
    # the department's number row or a budget row is locked.
    outbox.to_render(db.session, notice)
    return notice


def _issuer(claim, actor) -> Department:
    """The acting official's department; the claim's (the clause's, or the one it was
    transferred to) when the enterprise, its agent filing for it (全程代办) or the system
    acts."""
    if actor.department is None or actor.id == claim.agent_id:
        return claim.department
    return actor.department


ISSUED = "approvals.notices.issued"


def on_issue(app, then) -> None:
    """Register `then(step, notice)`, run in the move's transaction once its notice is issued
    (the claimant's message: approvals/notifications), so that notices name no feature."""
    app.extensions.setdefault(ISSUED, []).append(then)


def issue_for_step(step) -> Notice:
    """The `notice.issue` effect: the move's notice, in the name of `_issuer`. The facts the
    effects gave (`Step.notice_facts`) go into it whichever door the move came by."""
    claim = step.subject
    issuer = _issuer(claim, step.actor)
    notice = issue(claim, step.event, step.transition.notice, issuer, step.notice_facts)
    for then in current_app.extensions.get(ISSUED, ()):
        then(step, notice)
    return notice


def issue_for_event(claim, event, kind: str) -> Notice:
    """The notice `kind` of an event already written that is no transition's, e.g. a review
    task's decision where the state's tasks name `notice = "countersign"`: in the name of
    the deciding official's department. Inside the event's transaction, before the claim's
    next event (the hash chain runs event, its notice, next event)."""
    return issue(claim, event, kind, _issuer(claim, event.actor))
