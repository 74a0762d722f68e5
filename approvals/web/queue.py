"""The officials' queues, and finance acting on several claims at once."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from approvals.claims import queries
from approvals.claims.forms import BatchForm, QueueFilterForm, options
from approvals.claims.models import Claim
from approvals.claims.services import advance
from approvals.errors import DomainError
from approvals.extensions import db
from approvals.web import bp
from approvals.web.access import OFFICIALS, roles_required, safe_next
from approvals.web.filters import label, policy_title, state_name_label

# Finance's moves that need no per-claim opinion, so they can be taken on many claims at once.
BATCH_TRIGGERS = ("finance_approve", "disburse")


def _filter_form() -> tuple[QueueFilterForm, queries.QueueFilter]:
    form = QueueFilterForm(request.args)
    policies = queries.queue_policies(current_user)
    form.policy.choices = options(
        [("", _("全部政策"))] + [(p.code, f"{p.code} {policy_title(p)}") for p in policies]
    )
    states = queries.queue_states(current_user)
    form.state.choices = options([("", _("全部状态"))] + [(s, state_name_label(s)) for s in states])
    if not form.validate():
        return form, queries.QueueFilter()
    chosen = queries.QueueFilter(
        policy=form.policy.data or None,
        state=form.state.data or None,
        overdue=form.overdue.data,
        newest_first=form.order.data == "newest",
    )
    return form, chosen


def _batch_form() -> BatchForm:
    form = BatchForm()
    engine = current_app.extensions["approvals.workflows"]["enterprise_claim"]
    form.trigger.choices = options([(t, label(engine.spec.first(t).label)) for t in BATCH_TRIGGERS])
    return form


@bp.get("/queue")
@roles_required(*OFFICIALS)
def queue():
    form, chosen = _filter_form()
    size = current_app.config["QUEUE_PAGE_SIZE"]
    claims, next_cursor = queries.queue_page(
        current_user, chosen, after=request.args.get("after"), size=size
    )
    counts = queries.queue_counts(current_user, chosen.policy)
    batch = _batch_form() if current_user.role == "finance" else None
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_template(
        "queue/queue.html",
        form=form,
        claims=claims,
        counts=counts,
        next_cursor=next_cursor,
        args=args,
        batch=batch,
    )


@bp.post("/queue/batch")
@roles_required("finance")
def batch():
    form = _batch_form()
    if not form.validate_on_submit() or not form.selected():
        flash(_("请先勾选申报并选择批量操作。"), "error")
    else:
        payload = (
            {"payment_reference": form.payment_reference.data}
            if form.trigger.data == "disburse"
            else {}
        )
        for number, message, ok in fire_each(form.selected(), form.trigger.data, payload):
            flash(f"{number}：{message}", "success" if ok else "error")
    return redirect(
        safe_next(request.form.get("next")) if request.form.get("next") else url_for("web.queue")
    )


def fire_each(selected: list[tuple[int, int]], trigger: str, payload: dict):
    """advance() once per claim, each its own transaction; yields (number, outcome, ok)."""
    for claim_id, version in selected:
        claim = db.session.get(Claim, claim_id)
        number = claim.number if claim is not None else f"#{claim_id}"
        try:
            advance(current_user, claim_id, trigger, version=version, **payload)
        except DomainError as exc:
            yield number, _(exc.message), False
        else:
            yield number, _("已办理，现为“%(state)s”", state=state_name_label(claim.state)), True
