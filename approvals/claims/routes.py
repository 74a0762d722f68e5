"""Claim pages: policies, an enterprise's claims, the claim page and its files."""

from __future__ import annotations

from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from approvals.access import can_edit, can_view
from approvals.access.pages import home_url, roles_required
from approvals.claims import claimants, decision, duplicates, queries, services
from approvals.claims.forms import claim_form
from approvals.claims.models import Claim
from approvals.claims.page import amount_context, attachment_form, render_claim
from approvals.claims.storage import path_for
from approvals.clock import LOCAL
from approvals.db import utcnow
from approvals.downloads import evidence_headers, file_name, stored_file
from approvals.errors import Conflict, Forbidden, Invalid
from approvals.extensions import db
from approvals.forms import with_errors
from approvals.i18n import N_
from approvals.policies.models import Policy
from approvals.workflow import runtime

bp = Blueprint("claims", __name__)
STALE = N_("他人已先处理了该申报，页面已更新为最新状态，请核对后再操作。")


def _to_claim(claim_id: int):
    return redirect(url_for("claims.detail", claim_id=claim_id))


@bp.get("/policies")
@login_required
def policies():
    rows = db.session.scalars(select(Policy).order_by(Policy.window_close, Policy.code)).all()
    rows = claimants.claimable(current_user, rows)  # a claimant sees what it may claim
    today = utcnow().astimezone(LOCAL).date()
    return render_template("claims/policies.html", policies=rows, today=today)


@bp.get("/claims")
@roles_required("enterprise")
def mine():
    items, next_cursor = queries.list_claims(current_user, cursor=request.args.get("cursor"))
    return render_template("claims/mine.html", claims=items, next_cursor=next_cursor)


@bp.route("/claims/new", methods=["GET", "POST"])
@roles_required("enterprise")
def new():
    policy = db.session.scalar(select(Policy).where(Policy.code == request.args.get("policy", "")))
    if policy is None:
        abort(404)
    refused = claimants.refusal(current_user.enterprise, policy)
    if refused:  # a clause for other claimants (申报主体): said on the page, nothing offered
        context = {"policy": policy, "refused": refused, "existing": None, "form": None}
        return render_template("claims/new.html", **context, **amount_context(policy)), 422
    create = partial(services.create_claim, current_user, policy.code)
    return draft_page(policy, current_user.enterprise_id, create, "claims/new.html")


def draft_page(policy, enterprise_id: int, create, template: str, **context):
    """The new-claim form of `policy` for the enterprise's claim, on the claimant's page or
    the agent's (approvals/claims/agency_routes.py); posted and valid, `create(**changes)`
    drafts it and the claim page follows. One live claim per policy and year: the page
    names the one there is instead of offering a second."""
    form = claim_form(policy)
    existing = duplicates.live_claim(enterprise_id, policy.id)
    if existing is None and form.validate_on_submit():
        try:
            claim = create(**form.changes(policy, request.form))
        except duplicates.DuplicateClaim as exc:  # a colleague filed it a moment ago
            existing = db.session.get(Claim, exc.existing_id)
        except Invalid as exc:
            with_errors(form, exc)
        else:
            flash(_("草稿已保存。请上传证明材料，齐全后提交申报。"), "success")
            return _to_claim(claim.id)
    status = 422 if form.errors else 200
    if existing is not None and request.method == "POST":
        status = 409
    page = render_template(
        template,
        form=form,
        policy=policy,
        existing=existing,
        existing_shown=existing is not None and can_view(current_user, existing),
        **amount_context(policy),
        **context,
    )
    return page, status


@bp.get("/claims/<int:claim_id>")
@login_required
def detail(claim_id: int):
    return render_claim(services.get_visible(current_user, claim_id))


def _to_change(claim_id: int) -> Claim:
    """The claim, for one who may change it (the claimant, or the official filing it for the
    claimant: its agent); 404 for a claim unseen, 403 for one seen but not theirs to change."""
    claim = services.get_visible(current_user, claim_id)
    allowed = can_edit(current_user, claim)
    if not allowed:
        raise Forbidden(allowed.reason)
    return claim


@bp.post("/claims/<int:claim_id>/edit")
@roles_required("enterprise", "reviewer")
def edit(claim_id: int):
    claim = _to_change(claim_id)
    form = claim_form(claim.terms)
    if not form.validate_on_submit():
        return render_claim(claim, 422, edit=form)
    return _carry_out(
        claim,
        lambda: services.update_claim(
            current_user, claim.id, form.changes(claim.terms, request.form), form.version_number()
        ),
        edit=form,
        done=_("草稿已保存。"),
    )


@bp.post("/claims/<int:claim_id>/attachments")
@roles_required("enterprise", "reviewer")
def upload(claim_id: int):
    claim = _to_change(claim_id)
    form = attachment_form(claim.terms, formdata=request.form | request.files)
    if not form.validate_on_submit():
        return render_claim(claim, 422, upload=form)
    data, name = form.file.data.read(), form.file.data.filename or ""
    return _carry_out(
        claim,
        lambda: services.add_attachment(current_user, claim.id, data, name, form.kind.data),
        upload=form,
        done=_("已上传：%(name)s", name=name),
    )


@bp.post("/claims/<int:claim_id>/attachments/<int:attachment_id>/delete")
@roles_required("enterprise", "reviewer")
def remove(claim_id: int, attachment_id: int):
    try:
        services.remove_attachment(current_user, claim_id, attachment_id)
    except Conflict as exc:
        flash(_(exc.message), "warning")
    else:
        flash(_("已删除该材料。"), "success")
    return _to_claim(claim_id)


@bp.get("/claims/<int:claim_id>/attachments/<int:attachment_id>")
@login_required
@stored_file
def evidence(claim_id: int, attachment_id: int):
    claim = services.get_visible(current_user, claim_id)
    attachment = next((a for a in claim.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    path = path_for(current_app.config["STORAGE_DIR"], attachment.sha256)
    # Under the type sniffed at upload and a name with its extension; nosniff keeps the
    # browser from guessing.
    response = send_file(
        path,
        mimetype=attachment.content_type,
        download_name=file_name(attachment.filename, attachment.content_type),
    )
    return evidence_headers(response, attachment.content_type)


@bp.post("/claims/<int:claim_id>/act")
@login_required
def act(claim_id: int):
    claim = services.get_visible(current_user, claim_id)
    offered = decision.offer(current_user, claim)
    form = decision.posted_form(offered.here)
    if not form.validate_on_submit():
        return render_claim(claim, 422, decision=form)
    trigger, move = form.trigger.data, offered.move(form.trigger.data)
    if decision.revising() or offered.done_elsewhere(trigger):
        # Nothing taken: back from the confirmation page to change what was typed, or a move
        # the page does not take (a payout through the claim's batch, which it links to).
        return render_claim(claim, decision=form)
    try:
        if decision.to_confirm(move):
            return decision.confirmation_page(claim, move, form)
        payload = form.payload(move.requires if move else ())
        runtime.advance(current_user, claim.id, trigger, version=form.version.data, **payload)
    except Conflict as exc:
        # Someone acted first, or the claim moved on: show it as it now stands, and keep
        # what was typed in the form (against the version now shown) instead of losing it.
        flash(_(STALE) if exc.code == "stale_version" else _(exc.message), "warning")
        form.version.data = claim.version
        return render_claim(claim, 409, decision=form)
    except Invalid as exc:
        return render_claim(claim, 422, decision=with_errors(form, exc))
    flash(_("已办理，申报状态已更新。"), "success")
    if not can_view(current_user, claim):  # e.g. transferred (转办) out of its remit
        return redirect(home_url(current_user))
    return _to_claim(claim.id)


def _carry_out(claim, call, *, done: str, **form):
    """Call one service. Field errors re-render the page around `form` (edit= or
    upload=); a conflict (someone acted first, a state that no longer allows it) is
    flashed over the claim as it now stands."""
    try:
        call()
    except Conflict as exc:
        stale = exc.code == "stale_version"
        flash(_(STALE) if stale else _(exc.message), "warning")
    except Invalid as exc:
        slot, shown = next(iter(form.items()))
        return render_claim(claim, 422, **{slot: with_errors(shown, exc)})
    else:
        flash(done, "success")
    return _to_claim(claim.id)
