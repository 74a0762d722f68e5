"""Issue the notice of a transition: number it, render it once, store bytes and hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import asdict
from zoneinfo import ZoneInfo

from flask import current_app

from approvals.extensions import db
from approvals.money import fmt
from approvals.notices.facts import NoticeFacts
from approvals.notices.models import Notice
from approvals.notices.numbering import format_number, next_seq
from approvals.organisations.models import Department

LOCAL = ZoneInfo("Asia/Shanghai")
# Verification codes avoid characters that read alike (0/O, 1/I/L).
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def verify_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def issue(claim, event, kind: str, issuer: Department) -> Notice:
    """Create the notice for `event`; the caller's transaction commits or discards it."""
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
        policy_title=claim.policy.title_zh,
        funding_type=claim.policy.funding_type_label,
        project_title=claim.project_title,
        requested_amount=claim.requested_amount,
        approved_amount=claim.approved_amount,
        comment=event.comment,
        payment_reference=claim.payment_reference if kind == "payout" else None,
        verification_code=code,
        verify_url=verify_url(code),
    )
    # Imported here: WeasyPrint is heavy, and commands that issue no notice need not load it.
    from approvals.notices.render import render_notice

    pdf = render_notice(facts)
    notice = Notice(
        claim_id=claim.id,
        event_id=event.id,
        kind=kind,
        department_id=issuer.id,
        year=year,
        seq=seq,
        number=facts.number,
        verification_code=code,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        pdf=pdf,
        facts=facts_to_json(facts),
        issued_at=event.at,
    )
    db.session.add(notice)
    return notice


def facts_to_json(facts: NoticeFacts) -> dict:
    data = asdict(facts)
    data["issued_at"] = facts.issued_at.isoformat()
    data["requested_amount"] = fmt(facts.requested_amount)
    data["approved_amount"] = fmt(facts.approved_amount)
    return data
