"""Notices that are one document about many claims (finance's 拨付清单, a department's
申请认定表): numbered in the issuer's sequence like every notice, rendered from their own
template, and stored with the facts that say what they listed.

The caller builds the page's context from the number and verification code it is given;
the context names the `heading`, `issuer_name`, `count` and `total_amount` every such
notice's facts keep. The page itself is kept with the facts (`page`, `template`) and
rendered from them after the commit, through the outbox like a claim's notice: a form or a
batch list is issued while its claims (or the batch) are locked, and rendering a list of
200 claims took 150 ms of that lock. Its seal and QR code are drawn again at rendering, from
the issuer's name and the verification address the page keeps.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import datetime

from approvals.clock import LOCAL
from approvals.extensions import db
from approvals.money import fmt
from approvals.notices import outbox
from approvals.notices.issue import new_verification_code
from approvals.notices.models import Notice
from approvals.notices.numbering import format_number, next_seq

TEMPLATES = (
    "notices/batch_list.html",  # finance's 拨付清单
    "notices/recognition_form.html",  # a department's 申请认定表
    "notices/publicity.html",  # 公示通知 (approvals/publicity)
    "notices/supervision.html",  # 督办通知 (approvals/supervision)
)


def _storable(context: dict) -> dict:
    """The page as JSON keeps it: an amount in figures and capitals as its two texts."""
    page = {k: asdict(v) if is_dataclass(v) else v for k, v in context.items()}
    return {**page, "total_amount": fmt(context["total_amount"])}


def render_stored(facts: dict) -> bytes:
    """The document's PDF from its stored facts: the same facts give the same bytes."""
    from approvals.notices import render  # WeasyPrint: loaded only where a page is drawn
    from approvals.notices.qr import qr_data_uri

    template = facts["template"]
    if template not in TEMPLATES:
        raise ValueError(f"not a document template: {template}")
    page = facts["page"]
    context = {
        **page,
        "seal": render.seal(page["issuer_name"]),
        "qr_uri": qr_data_uri(page["verify_url"]),
    }
    # The PDF's identifier from its number, so that the same facts give the same bytes.
    identifier = hashlib.sha256(page["number"].encode()).hexdigest()[:32].encode()
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
    """Number and store a document notice, its page rendered after the commit:
    `build(number, verification_code)` gives the page's context (without its seal and QR
    code, drawn at rendering), `facts(context)` what it adds to the shared facts,
    `owner` the row it belongs to (batch_id=…, recognition_form_id=…). The caller's
    transaction commits it."""
    year = now.astimezone(LOCAL).year
    seq = next_seq(issuer.id, year)
    number = format_number(issuer.notice_prefix, year, seq)
    context = build(number, new_verification_code())
    notice = Notice(
        **owner,
        kind=kind,
        department_id=issuer.id,
        year=year,
        seq=seq,
        number=number,
        verification_code=context["verification_code"],
        # What it listed, for the verification page; and the page itself, to render.
        facts={
            "kind": kind,
            "number": number,
            "issuer_name": context["issuer_name"],
            "title": context["heading"],
            "count": context["count"],
            "total_amount": fmt(context["total_amount"]),
            **facts(context),
            "issued_at": now.isoformat(),
            "template": template,
            "page": _storable(context),
        },
        issued_at=now,
    )
    db.session.add(notice)
    outbox.to_render(db.session, notice)
    return notice
