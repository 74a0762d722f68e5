"""The notices' outbox: a transition's transaction numbers its notice and stores the facts;
the PDF is rendered from those facts after the commit and stored once (`notice_files`).

Why: rendering takes 40–80 ms, and inside the transaction it ran while the department's
notice-number row (and, for finance, the budget row) was locked, so one department's
notices were rendered one after another and SQLite's single writer waited on WeasyPrint.
Now the lock is held for the number only.

Where it runs: right after the commit (`render_recorded`, called by
`approvals.db.transaction`): by a Celery worker when a task queue is configured
(`CELERY_BROKER_URL`, approvals/worker.py), else in the same process, so the embedded
default needs nothing else. A failure (or a
crash between the commit and the render) leaves the notice pending, never loses its number:
`flask --app approvals render-pending` renders whatever is left, with the same bytes the
first try would have given, since the same facts give the same PDF. Two renderers of one
notice cannot both store it: the file's key is the notice's id.
"""

from __future__ import annotations

import hashlib
import logging

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from approvals.extensions import db
from approvals.notices.facts import facts_from_json
from approvals.notices.models import Notice, NoticeFile

log = logging.getLogger(__name__)
QUEUED = "approvals.notices_to_render"  # session.info: the notices this transaction issued


def to_render(session: Session, notice: Notice) -> None:
    """Note `notice` for rendering once the session's transaction has committed."""
    session.info.setdefault(QUEUED, []).append(notice)


def pdf_of(notice: Notice) -> bytes:
    """The notice's PDF from its stored facts: a claim's notice, or a document (a batch
    list, a 申请认定表) from the page it keeps (approvals/notices/documents.py)."""
    if "page" in notice.facts:
        from approvals.notices.documents import render_stored

        return render_stored(notice.facts)
    # Imported here: WeasyPrint is heavy, and commands that render nothing need not load it.
    from approvals.notices.render import render_notice

    return render_notice(facts_from_json(notice.facts))


def render_one(notice_id: int) -> bool:
    """Render and store one pending notice in its own short transaction; False if another
    renderer stored it first or it is not pending."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.file is not None:
        db.session.rollback()
        return False
    pdf = pdf_of(notice)  # no row is locked: the number was taken and committed
    # Added by its key alone: setting `notice.file` would mark the append-only notice
    # changed. The commit expires the notice, which then loads its file.
    digest = hashlib.sha256(pdf).hexdigest()
    db.session.add(NoticeFile(notice_id=notice_id, sha256=digest, size=len(pdf), pdf=pdf))
    try:
        db.session.commit()
    except IntegrityError:  # rendered meanwhile by another process
        db.session.rollback()
        return False
    return True


def render_recorded(session: Session) -> None:
    """After a commit: render the notices the transaction issued. A failure is logged and
    the notice stays pending for `render-pending`; the committed transition stands."""
    queued = session.info.pop(QUEUED, [])
    ids = [n.id for n in queued if n.id is not None]
    if ids and current_app.config.get("CELERY_BROKER_URL"):
        from approvals.worker import enqueue

        if enqueue(RENDER_JOB, ids):
            return
    for notice_id in ids:
        try:
            render_one(notice_id)
        except Exception:  # noqa: BLE001 — rendering never undoes the transition
            db.session.rollback()
            log.exception("notice %s left pending: rendering failed", notice_id)


RENDER_JOB = "render_notices"


def render_ids(notice_ids: list[int]) -> int:
    """The queue's job: render these notices (a worker's, approvals/worker.py)."""
    return sum(render_one(notice_id) for notice_id in notice_ids)


def forget_recorded(session: Session) -> None:
    """After a rollback: the notices it issued are gone with it."""
    session.info.pop(QUEUED, None)


def pending_ids(limit: int | None = None) -> list[int]:
    stmt = select(Notice.id).where(~Notice.file.has()).order_by(Notice.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def render_pending(limit: int | None = None) -> tuple[int, int]:
    """Render every pending notice (oldest first): (rendered, failed)."""
    rendered = failed = 0
    for notice_id in pending_ids(limit):
        try:
            rendered += render_one(notice_id)
        except Exception:  # noqa: BLE001 — one bad notice does not stop the rest
            db.session.rollback()
            log.exception("notice %s left pending: rendering failed", notice_id)
            failed += 1
    return rendered, failed
