"""Evidence changes under the claim's row lock, so that what was submitted is what is kept.

A submission checks the evidence and writes the claim in one transaction, with the claim's
version as its optimistic lock. Adding or removing a file therefore takes the same row
lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers) and bumps the
version: a submission that read the files before the change fails as stale, and a change
that comes after the submission finds the claim no longer editable. Either way the files
of a submitted claim are those of its submit event's snapshot.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from approvals.claims.models import Claim
from approvals.db import utcnow
from approvals.errors import Conflict
from approvals.extensions import db
from approvals.i18n import N_

SAME_FILE = "uq_attachments_claim_sha_kind"
# SQLite names the columns, not the constraint; attachments have no other unique key.
SAME_FILE_SQLITE = "UNIQUE constraint failed: attachments."


def locked_claim(claim_id: int) -> Claim:
    """The claim as it now stands, its row locked until the transaction ends."""
    return db.session.get(Claim, claim_id, with_for_update=True, populate_existing=True)


def mark_changed(claim: Claim) -> None:
    """Bump the claim's version now, before the file row is written.

    On SQLite the version check of this UPDATE is what refuses a change that lost the race
    to a submission (or to the same upload); on PostgreSQL the row lock already orders them.
    """
    claim.updated_at = utcnow()
    db.session.flush()


@contextmanager
def same_file_refused():
    """The same file uploaded twice at once under one kind: a clear 409, never a 500."""
    try:
        yield
    except IntegrityError as exc:
        message = str(exc.orig)
        if SAME_FILE not in message and SAME_FILE_SQLITE not in message:
            raise
        raise Conflict(
            N_("该文件已作为同一类材料上传，请刷新页面查看"), code="duplicate_attachment"
        ) from exc


def file_problem(data: bytes, limit: int) -> tuple[str | None, str | None]:
    """(the content type sniffed, what is wrong with the file): the checks an evidence file
    passes wherever it is uploaded, to a claim or to the enterprise's document library
    (approvals/library); the type comes from the content, never from the name."""
    from approvals.claims.storage import sniff_type

    content_type = sniff_type(data[:16])
    if not data:
        return None, N_("请选择要上传的文件")
    if len(data) > limit:
        return None, f"文件不能超过 {limit // (1024 * 1024)} MB"
    if content_type is None:
        return None, N_("文件内容不是 PDF、JPEG 或 PNG，请上传这三种格式之一")
    return content_type, None


def shown_name(filename: str | None) -> str:
    """The name a file is shown under: its last path segment, at most 255 characters."""
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:255] or "未命名"
