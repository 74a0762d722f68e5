"""The claimant's rating form on the claim page."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from approvals.access.rules import can_view
from approvals.claims.models import Claim
from approvals.claims.page import render_claim
from approvals.errors import DomainError
from approvals.extensions import db
from approvals.ratings import bp
from approvals.ratings.service import rate


@bp.post("/claims/<int:claim_id>/rating")
@login_required
def rate_claim(claim_id: int):
    claim = db.session.get(Claim, claim_id)
    if claim is None or not can_view(current_user, claim):
        abort(404)
    try:
        rate(current_user, claim, request.form.get("score", ""), request.form.get("comment", ""))
    except DomainError as exc:  # the page again, with the problem and what was typed kept
        flash(_(exc.message), "error")
        return render_claim(claim, exc.status)
    flash(_("感谢您的评价"), "success")
    return redirect(url_for("claims.detail", claim_id=claim_id) + "#rating"), 303
