"""What the claim page shows of the library and of an itemised 补正 (a claim page panel,
approvals/claims/panels.py): where each attachment came from, the library documents offered
to attach (pre-ticked), the reviewer's checklist, and the items of the latest return with
their answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from approvals.access import can_edit
from approvals.claims.services import is_editable
from approvals.extensions import db
from approvals.library import answers, checklist
from approvals.library.documents import current_documents, today
from approvals.library.models import LibraryDocument, SupplementAnswer
from approvals.workflow.registry import engine_for


@dataclass(frozen=True)
class Offered:
    """A required kind the library can supply: its valid documents, the first pre-ticked."""

    kind: str
    documents: list[LibraryDocument]


@dataclass(frozen=True)
class AnsweredItem:
    item: dict
    answer: SupplementAnswer | None

    @property
    def answered(self) -> bool:
        return self.answer is not None and self.answer.given


@dataclass
class LibraryPanel:
    today: date
    origins: dict[int, LibraryDocument] = field(default_factory=dict)  # attachment id → doc
    offered: list[Offered] = field(default_factory=list)
    to_upload: list[str] = field(default_factory=list)  # required kinds still to upload
    tickable: list[dict] = field(default_factory=list)  # what a reviewer may tick
    returning: set[str] = field(default_factory=set)  # the moves that post the checklist
    items: list[AnsweredItem] = field(default_factory=list)  # the latest return's
    current: bool = False  # the claim awaits this return's answers now
    answering: bool = False  # … and this viewer may give them
    valid_by_kind: dict[str, list[LibraryDocument]] = field(default_factory=dict)


def library_panel(actor, claim) -> LibraryPanel:
    panel = LibraryPanel(today=today())
    referenced = {a.id: a.library_document_id for a in claim.attachments if a.library_document_id}
    if referenced:
        documents = db.session.scalars(
            select(LibraryDocument).where(LibraryDocument.id.in_(set(referenced.values())))
        )
        by_id = {document.id: document for document in documents}
        panel.origins = {a: by_id[d] for a, d in referenced.items() if d in by_id}
    editable = is_editable(claim) and bool(can_edit(actor, claim))
    if editable and actor.role == "enterprise":
        _offer(panel, claim)
    panel.returning = checklist.returning_moves(actor, claim)
    if panel.returning:
        panel.tickable = checklist.items_of(claim)
    event = checklist.return_event(claim)
    items = checklist.listed_items(event)
    if items:
        given = answers.answers_to(event)
        panel.items = [AnsweredItem(item, given.get(item["key"])) for item in items]
        panel.current = engine_for(claim).spec.has_tag(claim.state, checklist.TAG)
        panel.answering = panel.current and editable
    return panel


def _offer(panel: LibraryPanel, claim) -> None:
    """Each required kind with a valid library document not yet attached is offered, the
    rest are to be uploaded; valid documents by kind also serve the 补正 answers."""
    attached = {(a.kind, a.sha256) for a in claim.attachments}
    present = {a.kind for a in claim.attachments}
    for document in current_documents(claim.enterprise_id):
        if not document.expired(panel.today):
            panel.valid_by_kind.setdefault(document.kind, []).append(document)
    for kind in claim.terms.required_evidence:
        if kind in present:
            continue
        fresh = [d for d in panel.valid_by_kind.get(kind, []) if (kind, d.sha256) not in attached]
        if fresh:
            panel.offered.append(Offered(kind, fresh))
        else:
            panel.to_upload.append(kind)
