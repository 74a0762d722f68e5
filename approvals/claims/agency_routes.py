"""The pages of 全程代办, thin over approvals/claims/agency.py: a reviewer's 代办申报 (the
claimant, a clause of its department, then the claimant's own new-claim form) and the
claimant's consent on the claim page."""

from __future__ import annotations

from functools import partial

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from approvals.access.pages import roles_required
from approvals.claims import agency, services
from approvals.claims.forms import AgencyConsentForm, OnBehalfForm, options
from approvals.claims.page import render_claim
from approvals.claims.routes import _to_claim, bp, draft_page
from approvals.errors import Conflict
from approvals.extensions import db
from approvals.policies.models import Policy

TEMPLATE = "claims/on_behalf.html"


@bp.route("/claims/on-behalf", methods=["GET", "POST"])
@roles_required("reviewer")
def on_behalf():
    policies = list(
        db.session.scalars(
            select(Policy)
            .where(Policy.department_id == current_user.department_id)
            .order_by(Policy.code)
        )
    )
    target = OnBehalfForm(request.args)
    target.policy.choices = options([("", "")] + [(p.code, p.code) for p in policies])
    target.validate()
    matches = [] if target.claimant.errors else agency.find_claimants(target.claimant.data)
    claimant = matches[0] if len(matches) == 1 else None
    policy = next((p for p in policies if p.code == target.policy.data), None)
    context = {
        "target": target,
        "policies": policies,
        "matches": matches,
        "claimant": claimant,
        "mine": agency.filed_by(current_user),
    }
    if claimant is None or policy is None:  # nothing to file yet: the choice is shown again
        page = render_template(TEMPLATE, policy=policy, **context)
        return page, 200 if request.method == "GET" else 422
    create = partial(agency.file_on_behalf, current_user, claimant.credit_code, policy.code)
    return draft_page(policy, claimant.id, create, TEMPLATE, **context)


@bp.post("/claims/<int:claim_id>/agency-consent")
@roles_required("enterprise")
def agency_consent(claim_id: int):
    claim = services.get_visible(current_user, claim_id)
    form = AgencyConsentForm()
    if not form.validate_on_submit():
        flash(_("页面已过期，请刷新后重试。"), "error")
        return render_claim(claim, 422)
    try:
        agency.consent(current_user, claim.id, form.version.data)
    except Conflict as exc:
        flash(_(exc.message), "warning")
    else:
        flash(_("已确认同意代办。代办人或你单位均可在材料齐全后提交申报。"), "success")
    return _to_claim(claim.id)
