"""The claim page's context: the claim, its forms and the actions this user may take now."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from approvals.access import can_edit
from approvals.claims import agency
from approvals.claims.decision import confirmed_first, decision_form, ending, needed_by, offer
from approvals.claims.duplicates import rivals_shown_to
from approvals.claims.forms import (
    AgencyConsentForm,
    AttachmentForm,
    RewardRecipientForm,
    amount_input_values,
    claim_form,
    options,
)
from approvals.claims.rewards import rewards_total
from approvals.claims.services import is_editable
from approvals.claims.tagged import is_tagged
from approvals.claims.task_page import tasks_context
from approvals.organisations.profile import payee_view
from approvals.policies.amount_rules import describe, input_fields, maximum_for
from approvals.policies.vocabulary import EVIDENCE_KINDS


def kind_choices(policy) -> list:
    """The policy's required kinds first, then the others."""
    kinds = list(policy.required_evidence) + [
        k for k in EVIDENCE_KINDS if k not in policy.required_evidence
    ]
    return options([(k, _(EVIDENCE_KINDS.get(k, k))) for k in kinds])


def attachment_form(policy, formdata=None) -> AttachmentForm:
    form = AttachmentForm(formdata=formdata) if formdata is not None else AttachmentForm()
    form.kind.choices = kind_choices(policy)
    return form


def amount_context(policy, stored: dict | None = None) -> dict:
    """The inputs of the policy's amount rule, with what was typed or what is stored."""
    posted = amount_input_values(policy, request.form) if request.method == "POST" else None
    return {
        "amount_fields": input_fields(policy.amount_rule),
        "amount_values": posted or stored or {},
        "amount_rule": describe(policy.amount_rule),
    }


def render_claim(
    claim, status: int = 200, *, edit=None, upload=None, decision=None, task=None, reward=None
):
    """Render the claim page; a form passed in (with its errors) replaces the blank one
    (`task`: a review task's id and its posted form; `reward`: a person being named)."""
    editable = is_editable(claim) and bool(can_edit(current_user, claim))
    offered = offer(current_user, claim)
    moves = offered.here
    decision = decision_form(claim, moves, decision)  # one form for every offered move
    if editable and edit is None:
        requested = claim.requested_amount
        edit = claim_form(
            claim.terms,
            formdata=None,
            project_title=claim.project_title,
            requested_amount=f"{requested:.2f}" if requested is not None else "",
            version=claim.version,
        )
    if editable and upload is None:
        upload = attachment_form(claim.terms, formdata=None)
    present = {a.kind for a in claim.attachments}
    page = render_template(
        "claims/detail.html",
        claim=claim,
        editable=editable,
        edit=edit,
        upload=upload,
        actions=moves,
        decision=decision,
        needs=needed_by(moves),
        ending=ending(claim, moves),
        confirming=confirmed_first(moves),
        group_claims=rivals_shown_to(current_user, claim),
        missing=[k for k in claim.terms.required_evidence if k not in present],
        supplement=_last_return(claim),
        maximum=maximum_for(claim),
        **offered.panels,
        elsewhere=offered.elsewhere,
        payee=payee_view(current_user, claim),
        **tasks_context(current_user, claim, task),
        **agency_context(current_user, claim),
        **rewards_context(current_user, claim, editable, reward),
        **amount_context(claim.terms, claim.amount_inputs),
    )
    return page, status


def rewards_context(actor, claim, editable: bool, posted=None) -> dict:
    """The people the claim rewards (有功人员), identity numbers masked for everyone; the
    form to name one more while the claim is editable."""
    if not claim.terms.rewards_people:
        return {"rewards": None}
    form = (posted or RewardRecipientForm(formdata=None)) if editable else None
    return {
        "rewards": claim.reward_recipients,
        "rewards_total": rewards_total(claim),
        "reward_form": form,
    }


def agency_context(actor, claim) -> dict:
    """An agency filing (全程代办): who files it, whether the claimant has consented, and the
    consent button for the claimant's users while the draft waits for it."""
    shown = agency.shown_to(actor, claim)
    consent = None
    if shown is not None and shown.may_consent:
        consent = AgencyConsentForm(formdata=None, version=claim.version)
    return {"agency": shown, "consent_form": consent}


def _last_return(claim):
    """The latest request for more material, shown while the claim is back with the enterprise."""
    if not is_tagged(claim, "awaiting_supplement"):
        return None
    return next((e for e in reversed(claim.events) if e.to_state == claim.state), None)
