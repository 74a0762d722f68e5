"""The enterprise's answers to an itemised 补正, item by item, and the guard that holds a
resubmission back until every listed item is answered.

An answer is a file attached for the item (a new upload, or a document of the library by
reference) and a short reply; at least one of the two. It is a change of the claim's
evidence, so it takes the claim's row lock and its version like an upload
(approvals/claims/evidence.py). Answering an item again replaces its answer.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from approvals.claims import evidence
from approvals.claims.services import get_visible
from approvals.claims.storage import store
from approvals.clock import current_time
from approvals.db import transaction
from approvals.errors import Conflict, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.library import checklist
from approvals.library.documents import add_file, editable_by, usable
from approvals.library.models import REPLY_MAX, SupplementAnswer
from approvals.workflow.registry import engine_for
from approvals.workflow.runtime import stale_guard

NOTHING = N_("请上传文件、选择材料库中的材料或填写答复")


def answers_to(event) -> dict[str, SupplementAnswer]:
    """item key → the answer given to it, for a return's event."""
    if event is None:
        return {}
    rows = db.session.scalars(select(SupplementAnswer).where(SupplementAnswer.event_id == event.id))
    return {row.item_key: row for row in rows}


def unanswered(claim) -> list[dict]:
    """The items of the claim's current return not yet answered (none outside a return)."""
    if not engine_for(claim).spec.has_tag(claim.state, checklist.TAG):
        return []
    event = checklist.return_event(claim)
    items = checklist.listed_items(event)
    if not items:
        return []
    given = answers_to(event)
    return [item for item in items if not (item["key"] in given and given[item["key"]].given)]


def unanswered_text(claim, ctx) -> str:
    labels = "、".join(item["label"] for item in unanswered(claim))
    return f"以下补正事项尚未逐项答复：{labels}"


def supplement_answered(claim, ctx) -> bool:
    """Every item the return listed is answered; a return without a checklist asks nothing."""
    return not unanswered(claim)


def _reply(value, errors: dict) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if len(text) > REPLY_MAX:
        errors["reply"] = f"答复不能超过{REPLY_MAX}字"
    return text


def answer(
    actor,
    claim_id: int,
    item_key: str,
    *,
    reply: str = "",
    data: bytes = b"",
    filename: str = "",
    document_id=None,
) -> SupplementAnswer:
    """Answer one item of the claim's current return: the file for it (uploaded, or the
    library document `document_id`) attached under the item's kind, and the reply."""
    claim = get_visible(actor, claim_id)
    editable_by(actor, claim)
    event = checklist.return_event(claim)
    items = {item["key"]: item for item in checklist.listed_items(event)}
    if not engine_for(claim).spec.has_tag(claim.state, checklist.TAG) or not items:
        raise Conflict(N_("该申报没有待答复的补正事项"), code="no_checklist")
    item = items.get(item_key if isinstance(item_key, str) else "")
    if item is None:
        raise NotFound(N_("补正事项不存在"))
    errors: dict = {}
    text = _reply(reply, errors)
    document = usable(claim, document_id) if document_id else None
    content_type = None
    if data and document is None:
        content_type, problem = evidence.file_problem(data, current_app.config["MAX_UPLOAD_BYTES"])
        if problem:
            errors["file"] = problem
    if not (text or data or document) and not errors:
        errors["reply"] = NOTHING
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    with evidence.same_file_refused(), stale_guard(), transaction():
        claim = evidence.locked_claim(claim.id)
        editable_by(actor, claim)  # re-checked under the lock: a submission may have won
        # First: the version check of this UPDATE orders two answers (or an answer and a
        # submission) at once on SQLite, as the row lock does on PostgreSQL.
        evidence.mark_changed(claim)
        attachment = None
        if document is not None:
            attachment = add_file(claim, actor, document)
        elif data:
            attachment = add_file(
                claim,
                actor,
                kind=item["kind"],
                filename=evidence.shown_name(filename),
                content_type=content_type,
                size=len(data),
                sha256=store(current_app.config["STORAGE_DIR"], data),
            )
        row = answers_to(event).get(item["key"])
        if row is None:
            row = SupplementAnswer(claim_id=claim.id, event_id=event.id, item_key=item["key"])
            db.session.add(row)
        # Answered again: what is given now replaces what was, the rest stays.
        if text or row.reply is None:
            row.reply = text
        if attachment is not None:
            row.attachment_id = attachment.id
        row.answered_by_id = actor.id
        row.answered_at = current_time()
    return row
