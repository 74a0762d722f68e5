"""Finance pages: budgets, payout batches and their files, recoveries. Thin routes."""

from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from approvals.access.pages import roles_required
from approvals.claims.models import Claim
from approvals.claims.services import get_visible
from approvals.claims.tagged import in_states_tagged
from approvals.errors import DomainError, NotFound
from approvals.extensions import db
from approvals.finance import batch_queue, batches, bp, budgets, confirmations, recovery
from approvals.finance.export import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes
from approvals.i18n import label
from approvals.limits import parse_id

READERS = ("finance", "government", "admin")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


def _flash_error(exc: DomainError) -> None:
    flash(exc.message, "error")


def confirmed() -> bool:
    """The second POST of an irreversible move: the first one only showed what it does."""
    return request.form.get("confirmed") == "1"


def render_confirmation(
    preview: confirmations.Preview,
    *,
    action_url: str,
    cancel_url: str,
    carry: dict,
    confirm_label: str,
    problem: str | None = None,
    choices: list[tuple[str, str]] | None = None,
    status: int = 200,
):
    """The confirmation page: what will happen, and a form that POSTs it again, confirmed.

    `carry` holds the fields of the first POST (a list for a repeated field); `choices`
    are other actions the page may offer instead (value, label), re-shown first.
    """
    page = render_template(
        "finance/confirm.html",
        preview=preview,
        action_url=action_url,
        cancel_url=cancel_url,
        carry=carry,
        confirm_label=confirm_label,
        problem=problem,
        choices=choices or [],
    )
    return page, status


@bp.get("/")
@roles_required(*READERS)
def index():
    year = request.args.get("year", type=int)
    return render_template(
        "finance/index.html",
        budgets=budgets.overview(year),
        batches=batches.list_batches(),
        payable=batches.payable_claims(),
    )


@bp.post("/budgets")
@roles_required("finance", "admin")
def set_budget():
    try:
        budgets.set_budget(
            current_user,
            request.form.get("policy_code", ""),
            request.form.get("year", type=int) or 0,
            request.form.get("amount"),
        )
        flash("预算已保存", "success")
    except DomainError as exc:
        _flash_error(exc)
    return redirect(url_for("finance.index"))


@bp.post("/batches")
@roles_required("finance")
def compose_batch():
    try:
        ids = [i for i in map(parse_id, request.form.getlist("claim_id")) if i is not None]
        batch = batches.compose(current_user, ids, request.form.get("note", ""))
    except DomainError as exc:
        _flash_error(exc)
        return redirect(url_for("finance.index"))
    flash(f"已编制{batch.name}拨付批次", "success")
    for left_out in batch.excluded:
        flash(f"未编入 {left_out.number}：{left_out.reason}", "warning")
    return redirect(url_for("finance.batch", batch_id=batch.id))


@bp.get("/batches/<int:batch_id>")
@roles_required(*READERS)
def batch(batch_id):
    found = batches.get_batch(current_user, batch_id)
    return render_template("finance/batch.html", batch=found, totals=batches.totals(found))


@bp.post("/batches/<int:batch_id>/scale")
@roles_required("finance")
def scale_batch(batch_id):
    try:
        shares = batches.scale(
            current_user, batch_id, request.form.get("policy_code", ""), request.form.get("limit")
        )
        bonus = sum(s.bonus_fen for s in shares)
        flash(f"已按比例核减 {len(shares)} 项；尾差 {bonus} 分按最大余数法分配", "success")
    except DomainError as exc:
        _flash_error(exc)
    return redirect(url_for("finance.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/remove/<int:claim_id>")
@roles_required("finance")
def remove_from_batch(batch_id, claim_id):
    try:
        batches.remove_claim(current_user, batch_id, claim_id)
    except DomainError as exc:
        _flash_error(exc)
    return redirect(url_for("finance.batch", batch_id=batch_id))


@bp.post("/batches/<int:batch_id>/confirm")
@roles_required("finance")
def confirm_batch(batch_id):
    back = url_for("finance.batch", batch_id=batch_id)
    try:
        if not confirmed():
            return render_confirmation(
                confirmations.batch_confirmation(current_user, batch_id),
                action_url=url_for("finance.confirm_batch", batch_id=batch_id),
                cancel_url=back,
                carry={},
                confirm_label="确认拨付",
            )
        found, queued = batch_queue.request_confirmation(current_user, batch_id)
    except DomainError as exc:
        _flash_error(exc)
        return redirect(back)
    if queued:
        flash(f"{found.name}已开始逐项拨付，本页显示进度", "success")
    elif found.state == "confirmed":
        flash(f"{found.name}已全部拨付", "success")
    else:
        flash("批次正在由他人拨付，请稍后刷新", "warning")
    return redirect(back)


@bp.get("/batches/<int:batch_id>/progress")
@roles_required(*READERS)
def batch_progress(batch_id):
    """What the batch page polls while the batch is being paid (static/app.js)."""
    shown = batch_queue.progress(batches.get_batch(current_user, batch_id))
    label = _("已拨付 %(paid)s / %(count)s 项", paid=shown["paid"], count=shown["total"])
    return jsonify(shown | {"label": label})


@bp.get("/batches/<int:batch_id>/payment.<fmt>")
@roles_required("finance")  # the only file with account numbers in full: for who pays
def payment_file(batch_id, fmt):
    found = batches.get_batch(current_user, batch_id)
    rows = batches.payment_rows(found)
    name = f"payment-{found.year}-{found.seq:02d}"
    if fmt == "csv":
        return _download(csv_bytes(batches.PAYMENT_HEADERS, rows), CSV_MIME, f"{name}.csv")
    if fmt == "xlsx":
        data = xlsx_bytes(found.name, batches.PAYMENT_HEADERS, rows)
        return _download(data, XLSX_MIME, f"{name}.xlsx")
    raise NotFound("不支持的文件格式")


@bp.get("/batches/<int:batch_id>/list.pdf")
@roles_required(*READERS)
def batch_list_pdf(batch_id):
    found = batches.get_batch(current_user, batch_id)
    if found.list_notice is None:
        raise NotFound("批次尚未拨付完毕，清单尚未印发")
    return Response(
        found.list_notice.pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="batch-{found.id}.pdf"'},
    )


@bp.get("/recoveries")
@roles_required(*READERS)
def recoveries():
    """Every paid claim, its case, and the recovery moves the reader may take on it now."""
    claims = db.session.scalars(
        select(Claim).where(in_states_tagged("paid")).order_by(Claim.id.desc())
    ).all()
    cases = {c.id: recovery.recovery_for(c.id) for c in claims}
    moves = {c.id: recovery.moves(current_user, c) for c in claims}
    return render_template("finance/recoveries.html", claims=claims, cases=cases, moves=moves)


@bp.post("/recoveries/<int:claim_id>/<action>")
@roles_required("finance")
def recovery_action(claim_id, action):
    """`action` is the workflow's trigger; the recovery effect it names says what it does."""
    form, version = request.form, request.form.get("version", type=int)
    try:
        move = recovery.move_named(get_visible(current_user, claim_id), action)
        if move is None:
            raise NotFound("未知操作")
        transition, effect = move
        if "confirm" in transition.effects and not confirmed():
            return render_confirmation(
                confirmations.recovery_confirmation(current_user, claim_id, effect, form),
                action_url=url_for("finance.recovery_action", claim_id=claim_id, action=action),
                cancel_url=url_for("finance.recoveries"),
                carry={k: form.get(k, "") for k in ("amount", "reason", "version")},
                confirm_label=_("确认%(action)s", action=label(transition.label)),
            )
        recovery.take(
            current_user,
            claim_id,
            effect,
            version=version,
            amount=form.get("amount"),
            reason=form.get("reason"),
        )
        flash("已办理", "success")
    except DomainError as exc:
        _flash_error(exc)
    return redirect(url_for("finance.recoveries"))
