"""The claim page's review-task decision: agree, disagree or return, with an opinion (and on
a sign-off chain's first step, the values of the move the chain fires)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from approvals.access import can_decide
from approvals.claims import services
from approvals.claims.page import render_claim
from approvals.claims.routes import bp
from approvals.claims.task_page import posted_form, task_of
from approvals.errors import Conflict, Forbidden, Invalid
from approvals.forms import with_errors
from approvals.workflow import tasks


@bp.post("/claims/<int:claim_id>/tasks/<int:task_id>/decision")
@login_required
def decide_task(claim_id: int, task_id: int):
    claim = services.get_visible(current_user, claim_id)
    task = task_of(claim, task_id)
    allowed = can_decide(current_user, task)  # before the form: a stranger's post is refused
    if not allowed:
        raise Forbidden(allowed.reason)
    form = posted_form(claim, task)
    if not form.validate_on_submit():
        return render_claim(claim, 422, task=(task.id, form))
    try:
        tasks.decide(
            current_user,
            task.id,
            form.decision.data,
            form.opinion.data,
            version=form.version.data,
            prepared=form.prepared(),
        )
    except Conflict as exc:
        # Decided or taken by someone else, or the claim moved on: the page as it now stands,
        # with what was typed kept (in the form, or shown as not sent).
        flash(_(exc.message), "warning")
        return render_claim(claim, 409, task=(task.id, form))
    except Invalid as exc:
        return render_claim(claim, 422, task=(task.id, with_errors(form, exc)))
    flash(_("已办理该审核任务。"), "success")
    return redirect(url_for("claims.detail", claim_id=claim.id))
