"""Which claims wait for a 申请认定表, and the guard and effect of the move that forwards them.

A claim waits while its state offers the move that names `recognition_form.forward`
(in enterprise_claim: `recognised`, by `forward_to_finance`), asked of its own workflow
version, never by state name. That move's guard holds only for a claim listed on a sent form
and not yet forwarded by it, so the move is taken by sending a form and by nothing else; the
effect marks the claim's line forwarded and names the form in the claim's event.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.recognition_forms.models import LIVE, RecognitionForm, RecognitionFormItem
from approvals.workflow.guards import GuardContext
from approvals.workflow.registry import workflows

FORWARD = "recognition_form.forward"


def waiting_clause() -> ColumnElement[bool]:
    """SQL: the claim is in a state whose way on is a 申请认定表 (per workflow version)."""
    branches = []
    for engine in workflows().values():
        states = {s for t in engine.spec.with_effect(FORWARD) for s in t.sources}
        if states:
            branches.append(
                and_(
                    Claim.workflow == engine.spec.name,
                    Claim.workflow_version == engine.spec.version,
                    Claim.state.in_(sorted(states)),
                )
            )
    return or_(*branches) if branches else false()


def forward_trigger(claim: Claim) -> str | None:
    spec = workflows().engine_for(claim).spec
    return next((t.trigger for t in spec.from_state(claim.state) if FORWARD in t.effects), None)


def _pending_line(claim_id: int):
    """The claim's line on a sent form that has not moved it yet."""
    return db.session.scalar(
        select(RecognitionFormItem)
        .join(RecognitionForm)
        .where(
            RecognitionFormItem.claim_id == claim_id,
            RecognitionFormItem.forwarded_at.is_(None),
            RecognitionForm.status == "sent",
        )
    )


def on_live_form() -> ColumnElement[bool]:
    """SQL: the claim is listed on a form on its way (prepared or checked)."""
    query = (
        select(RecognitionFormItem.id)
        .join(RecognitionForm)
        .where(RecognitionFormItem.claim_id == Claim.id, RecognitionForm.status.in_(LIVE))
    )
    return exists(query)


def live_form_of(claim_id: int) -> RecognitionForm | None:
    return db.session.scalar(
        select(RecognitionForm)
        .join(RecognitionFormItem)
        .where(RecognitionFormItem.claim_id == claim_id, RecognitionForm.status.in_(LIVE))
    )


def on_sent_recognition_form(claim, ctx: GuardContext) -> bool:
    return _pending_line(claim.id) is not None


def _not_sent_text(claim, ctx: GuardContext) -> str:
    return "该申报须列入本部门的申请认定表，随认定表报送市财政局，不能单独报送"


def off_pending_recognition_forms(claim, ctx: GuardContext) -> bool:
    return live_form_of(claim.id) is None


def _on_pending_text(claim, ctx: GuardContext) -> str:
    form = live_form_of(claim.id)
    return f"该申报已列入{form.call_year}年度待报送的申请认定表，请先退回该认定表" if form else ""


def forward(step) -> None:
    """The `recognition_form.forward` effect: the claim's line is forwarded now, and its
    event names the form that carried it (its notice's number)."""
    line = _pending_line(step.subject.id)
    line.forwarded_at = step.now
    form = line.form
    step.facts["recognition_form"] = {
        "id": form.id,
        "batch": form.batch_name,
        "number": db.session.scalar(
            select(Notice.number).where(Notice.recognition_form_id == form.id)
        ),
    }


def register(cat) -> None:
    # Routing: a claim the guard does not fit is not offered the move at all (no button,
    # no available trigger); taken by hand anyway, it is refused with the reason.
    cat.guard("on_sent_recognition_form", _not_sent_text, "recognition_form", routing=True)(
        on_sent_recognition_form
    )
    cat.guard("off_pending_recognition_forms", _on_pending_text, "recognition_form")(
        off_pending_recognition_forms
    )
    cat.effect(FORWARD, forward, stage="claim")
