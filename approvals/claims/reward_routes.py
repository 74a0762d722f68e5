"""The claim page's list of the people a claim rewards (有功人员): name one, remove one."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from approvals.access.pages import roles_required
from approvals.claims import rewards, services
from approvals.claims.forms import RewardRecipientForm
from approvals.claims.page import render_claim
from approvals.claims.rewards import mask_id_number
from approvals.claims.routes import STALE, bp
from approvals.clock import local_today
from approvals.errors import Conflict, Invalid
from approvals.forms import with_errors

__all__ = ["add_recipient", "mask_id_number", "remove_recipient"]


@bp.post("/claims/<int:claim_id>/reward-recipients")
@roles_required("enterprise")
def add_recipient(claim_id: int):
    claim = services.get_visible(current_user, claim_id)
    form = RewardRecipientForm()
    if not form.validate_on_submit():
        return render_claim(claim, 422, reward=form)
    try:
        person = rewards.add_recipient(current_user, claim, form.values(), local_today())
    except Invalid as exc:
        return render_claim(claim, 422, reward=with_errors(form, exc))
    except Conflict as exc:
        flash(_(STALE) if exc.code == "stale_version" else _(exc.message), "warning")
        return render_claim(claim, 409, reward=form)
    flash(_("已加入有功人员名单：%(name)s", name=person.name), "success")
    return redirect(url_for("claims.detail", claim_id=claim.id, _anchor="rewards"))


# The recipient's id is read as text (an id of ours or nothing), so that a link made from
# anything answers 404 rather than failing to be built.
@bp.post("/claims/<int:claim_id>/reward-recipients/<recipient_id>/delete")
@roles_required("enterprise")
def remove_recipient(claim_id: int, recipient_id: str):
    claim = services.get_visible(current_user, claim_id)
    try:
        rewards.remove_recipient(current_user, claim, recipient_id)
    except Conflict as exc:
        flash(_(STALE) if exc.code == "stale_version" else _(exc.message), "warning")
    else:
        flash(_("已从有功人员名单中删除。"), "success")
    return redirect(url_for("claims.detail", claim_id=claim.id, _anchor="rewards"))
