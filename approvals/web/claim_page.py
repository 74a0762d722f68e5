"""The claim page's context: the claim, its forms and the actions this user may take now."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from approvals.claims.duplicates import rivals_shown_to
from approvals.claims.forms import (
    AttachmentForm,
    ClaimForm,
    amount_input_values,
    options,
)
from approvals.claims.services import is_editable
from approvals.errors import DomainError
from approvals.finance.claim_panel import finance_panel
from approvals.notices.queries import notices_for
from approvals.organisations.profile import payee_view
from approvals.policies.amount_rules import describe, input_fields, maximum_for
from approvals.policies.vocabulary import EVIDENCE_KINDS
from approvals.web.decision import decision_form, needed_by
from approvals.workflow.runtime import available_transitions


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


def with_errors(form, exc: DomainError):
    """Show a domain error's field messages on the form; the rest as flashes."""
    shown = False
    for name, message in exc.fields.items():
        if name in form and name not in ("csrf_token", "version", "trigger"):
            form[name].errors = [*form[name].errors, _(message)]
            shown = True
        else:
            flash(_(message), "error")
            shown = True
    if not shown:
        flash(_(exc.message), "error")
    return form


def render_claim(claim, status: int = 200, *, edit=None, upload=None, decision=None):
    """Render the claim page; a form passed in (with its errors) replaces the blank one."""
    editable = is_editable(claim) and current_user.role == "enterprise"
    money = finance_panel(current_user, claim)
    actions, elsewhere = [], []
    for transition in available_transitions(current_user, claim):
        where = money.elsewhere(transition.trigger) if money else None
        # Recovery and a batch's payout are done on finance pages that confirm first.
        (elsewhere.append((transition, where)) if where else actions.append(transition))
    decision = decision_form(claim, actions, decision)  # one form for every offered move
    if editable and edit is None:
        edit = ClaimForm(
            formdata=None,
            project_title=claim.project_title,
            requested_amount=f"{claim.requested_amount:.2f}",
            version=claim.version,
        )
    if editable and upload is None:
        upload = attachment_form(claim.policy, formdata=None)
    present = {a.kind for a in claim.attachments}
    page = render_template(
        "claims/detail.html",
        claim=claim,
        editable=editable,
        edit=edit,
        upload=upload,
        actions=actions,
        decision=decision,
        needs=needed_by(actions),
        group_claims=rivals_shown_to(current_user, claim),
        missing=[k for k in claim.policy.required_evidence if k not in present],
        notices=notices_for(claim.id),
        supplement=_last_return(claim),
        maximum=maximum_for(claim),
        money=money,
        elsewhere=elsewhere,
        payee=payee_view(current_user, claim),
        **amount_context(claim.policy, claim.amount_inputs),
    )
    return page, status


def _last_return(claim):
    """The latest request for more material, shown while the claim is back with the enterprise."""
    if claim.state != "returned":
        return None
    return next((e for e in reversed(claim.events) if e.to_state == "returned"), None)
