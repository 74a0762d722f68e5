"""The document library's use cases: upload a document (or a new version of one), list an
enterprise's documents with the claims that use them, and attach them to a claim by
reference: an Attachment row naming the same stored file (its SHA-256), never a second upload.
Each call is one transaction; a claim's evidence changes under its row lock
(approvals/claims/evidence.py)."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select, update

from approvals.access import can_edit
from approvals.claims import evidence
from approvals.claims.models import Attachment, Claim
from approvals.claims.services import get_visible, is_editable
from approvals.claims.storage import store
from approvals.clock import LOCAL, current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.library.models import LibraryDocument
from approvals.limits import parse_id
from approvals.policies.vocabulary import EVIDENCE_KINDS
from approvals.workflow.runtime import stale_guard

NOT_FOUND = N_("材料库中没有该材料")
REPLACED = N_("该材料已有新版本，请刷新材料库后重试")


def today() -> date:
    return current_time().astimezone(LOCAL).date()


def expired_text(document: LibraryDocument) -> str:
    """营业执照已于2026-06-30过期，请上传有效版本"""
    label = EVIDENCE_KINDS.get(document.kind, document.kind)
    return f"{label}已于{document.valid_until:%Y-%m-%d}过期，请上传有效版本"


# The library -------------------------------------------------------------------------------


def current_documents(enterprise_id: int) -> list[LibraryDocument]:
    """The enterprise's documents as they stand: the latest version of each."""
    return list(
        db.session.scalars(
            select(LibraryDocument)
            .where(
                LibraryDocument.enterprise_id == enterprise_id,
                LibraryDocument.superseded_at.is_(None),
            )
            .order_by(LibraryDocument.kind, LibraryDocument.id.desc())
        )
    )


def earlier_versions(enterprise_id: int) -> list[LibraryDocument]:
    return list(
        db.session.scalars(
            select(LibraryDocument)
            .where(
                LibraryDocument.enterprise_id == enterprise_id,
                LibraryDocument.superseded_at.is_not(None),
            )
            .order_by(LibraryDocument.id.desc())
        )
    )


def usage(document_ids: list[int]) -> dict[int, list[Claim]]:
    """document id → the claims that attached it, in one query."""
    if not document_ids:
        return {}
    rows = db.session.execute(
        select(Attachment.library_document_id, Claim)
        .join(Claim, Claim.id == Attachment.claim_id)
        .where(Attachment.library_document_id.in_(document_ids))
        .order_by(Claim.id)
    )
    used: dict[int, list[Claim]] = {}
    for document_id, claim in rows:
        claims = used.setdefault(document_id, [])
        if claim not in claims:
            claims.append(claim)
    return used


def own_document(actor, sha256: str) -> LibraryDocument:
    """The actor's enterprise's document stored under `sha256` (its latest version)."""
    if actor.role != "enterprise":
        raise NotFound(NOT_FOUND)
    document = db.session.scalar(
        select(LibraryDocument)
        .where(
            LibraryDocument.enterprise_id == actor.enterprise_id,
            LibraryDocument.sha256 == (sha256 or "")[:64],
        )
        .order_by(LibraryDocument.id.desc())
        .limit(1)
    )
    if document is None:
        raise NotFound(NOT_FOUND)
    return document


def _valid_until(value, errors: dict) -> date | None:
    if isinstance(value, date) or value in (None, ""):
        day = value or None
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            errors["valid_until"] = N_("有效期应为日期，如 2027-06-30")
            return None
    if day is not None and day < today():
        errors["valid_until"] = N_("有效期已过：请上传有效期内的材料")
    return day


def upload(
    actor, data: bytes, filename: str, kind: str, valid_until=None, *, replaces=None
) -> LibraryDocument:
    """A document into the actor's enterprise's library; with `replaces` (a document's id),
    its new version, of the same kind, the old one kept for the claims that attached it."""
    if actor.role != "enterprise" or actor.enterprise_id is None:
        raise Forbidden(N_("只有企业用户可以管理材料库"))
    errors: dict = {}
    old = None
    if replaces is not None:
        old = db.session.get(LibraryDocument, parse_id(replaces) or 0)
        if old is None or old.enterprise_id != actor.enterprise_id:
            raise NotFound(NOT_FOUND)
        kind = old.kind
    if kind not in EVIDENCE_KINDS:
        errors["kind"] = N_("请选择材料类别")
    day = _valid_until(valid_until, errors)
    content_type, problem = evidence.file_problem(data, current_app.config["MAX_UPLOAD_BYTES"])
    if problem:
        errors["file"] = problem
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    now = current_time()
    with transaction():
        if old is not None:
            # Once: of two replacements of one version at once, the second is refused.
            replaced = db.session.execute(
                update(LibraryDocument)
                .where(LibraryDocument.id == old.id, LibraryDocument.superseded_at.is_(None))
                .values(superseded_at=now)
                .execution_options(synchronize_session=False)
            )
            if replaced.rowcount != 1:
                raise Conflict(REPLACED, code="replaced")
        document = LibraryDocument(
            enterprise_id=actor.enterprise_id,
            kind=kind,
            filename=evidence.shown_name(filename),
            content_type=content_type,
            size=len(data),
            sha256=store(current_app.config["STORAGE_DIR"], data),
            valid_until=day,
            uploaded_by_id=actor.id,
            uploaded_at=now,
            replaces_id=old.id if old is not None else None,
        )
        db.session.add(document)
    if old is not None:
        db.session.refresh(old)
    return document


# Claims ------------------------------------------------------------------------------------


def editable_by(actor, claim: Claim) -> None:
    """Refused unless `actor` may change the claim's evidence now (as for an upload)."""
    decision = can_edit(actor, claim)
    if not decision:
        raise Forbidden(decision.reason)
    if not is_editable(claim):
        raise Conflict(N_("只有草稿或待补正的申报可以修改"), code="not_editable")


def usable(claim: Claim, document_id) -> LibraryDocument:
    """The claimant's current, valid library document `document_id`; refused otherwise,
    an expired one with its date."""
    document = db.session.get(LibraryDocument, parse_id(document_id) or 0)
    if document is None or document.enterprise_id != claim.enterprise_id:
        raise NotFound(NOT_FOUND)
    if document.superseded_at is not None:
        raise Conflict(REPLACED, code="replaced")
    if document.expired(today()):
        text = expired_text(document)
        raise Invalid(text, code="expired", fields={"document": text})
    return document


def add_file(claim: Claim, actor, document: LibraryDocument | None = None, **file) -> Attachment:
    """The claim's attachment of a stored file (`kind`, `filename`, `content_type`, `size`,
    `sha256`), or of a library document; the same file under one kind is kept once. Called
    under the claim's row lock, inside the caller's transaction."""
    if document is not None:
        file = {
            "kind": document.kind,
            "filename": document.filename,
            "content_type": document.content_type,
            "size": document.size,
            "sha256": document.sha256,
        }
    attachment = db.session.scalar(
        select(Attachment).where(
            Attachment.claim_id == claim.id,
            Attachment.sha256 == file["sha256"],
            Attachment.kind == file["kind"],
        )
    )
    if attachment is None:
        evidence.mark_changed(claim)
        attachment = Attachment(
            claim_id=claim.id,
            uploaded_by_id=actor.id,
            library_document_id=document.id if document is not None else None,
            **file,
        )
        db.session.add(attachment)
        db.session.flush()
    return attachment


def attach(actor, claim_id: int, document_ids) -> list[Attachment]:
    """Attach library documents to a claim by reference: no file is stored again."""
    claim = get_visible(actor, claim_id)
    editable_by(actor, claim)
    if not document_ids:
        raise Invalid(N_("请勾选要添加的材料"), fields={"document": N_("请勾选要添加的材料")})
    documents = [usable(claim, document_id) for document_id in document_ids]
    with evidence.same_file_refused(), stale_guard(), transaction():
        claim = evidence.locked_claim(claim.id)
        editable_by(actor, claim)  # re-checked under the lock: a submission may have won
        return [add_file(claim, actor, document) for document in documents]
