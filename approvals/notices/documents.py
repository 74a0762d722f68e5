"""Notices that are one document about many claims (finance's 拨付清单, a department's
申请认定表): numbered in the issuer's sequence like every notice, rendered from their own
template, and stored with the facts that say what they listed.

The caller builds the page's context from the number and verification code it is given;
the context names the `heading`, `issuer_name`, `count` and `total_amount` every such
notice's facts keep.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.money import fmt
from approvals.notices import render
from approvals.notices.issue import new_verification_code
from approvals.notices.models import Notice, NoticeFile
from approvals.notices.numbering import format_number, next_seq


def render_page(template: str, context: dict) -> bytes:
    # The PDF's identifier from its number, so that the same facts give the same bytes.
    identifier = hashlib.sha256(context["number"].encode()).hexdigest()[:32].encode()
    return render.render_document(template, context, identifier=identifier)


def issue_document(
    kind: str,
    issuer,
    now: datetime,
    template: str,
    build: Callable[[str, str], dict],
    facts: Callable[[dict], dict],
    **owner,
) -> Notice:
    """Number, render and store a document notice: `build(number, verification_code)` gives
    the page's context, `facts(context)` what it adds to the shared facts, `owner` the row it
    belongs to (batch_id=…, recognition_form_id=…). The caller's transaction commits it."""
    year = now.astimezone(LOCAL).year
    seq = next_seq(issuer.id, year)
    number = format_number(issuer.notice_prefix, year, seq)
    context = build(number, new_verification_code())
    pdf = render_page(template, context)
    notice = Notice(
        **owner,
        kind=kind,
        department_id=issuer.id,
        year=year,
        seq=seq,
        number=number,
        verification_code=context["verification_code"],
        # Rendered here, from the page's own context: a document is issued once, by hand,
        # and its facts keep what it listed, not everything its page shows.
        file=NoticeFile(sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf), pdf=pdf),
        facts={
            "kind": kind,
            "number": number,
            "issuer_name": context["issuer_name"],
            "title": context["heading"],
            "count": context["count"],
            "total_amount": fmt(context["total_amount"]),
            **facts(context),
            "issued_at": now.isoformat(),
        },
        issued_at=now,
    )
    db.session.add(notice)
    return notice
