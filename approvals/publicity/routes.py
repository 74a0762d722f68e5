"""The publicity pages: the public lists (anyone, signed out too) and the objection form;
finance's page to publish; the department's objections to settle."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from approvals.access.pages import roles_required
from approvals.claims.storage import path_for
from approvals.clock import local_today
from approvals.downloads import evidence_headers, file_name
from approvals.errors import DomainError
from approvals.extensions import limiter
from approvals.publicity import bp, queries, services
from approvals.publicity.forms import ObjectionForm, PublishForm, ResolveForm


@bp.get("")
def index():
    today = local_today()
    lists = queries.lists()
    return render_template(
        "publicity/index.html",
        lists=[(p, queries.standing(p, today)) for p in lists],
    )


@bp.get("/<int:publicity_id>")
def show(publicity_id: int):
    publicity = queries.get(publicity_id)
    return render_template(
        "publicity/show.html",
        publicity=publicity,
        standing=queries.standing(publicity, local_today()),
    )


def _item(publicity_id: int, item_id: int):
    publicity = queries.get(publicity_id)
    item = next((i for i in publicity.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return publicity, item


@bp.route("/<int:publicity_id>/items/<int:item_id>/objection", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def object_to(publicity_id: int, item_id: int):
    publicity, item = _item(publicity_id, item_id)
    form, status = ObjectionForm(), 200
    if form.validate_on_submit():
        upload = form.evidence.data
        try:
            objection = services.lodge(
                publicity_id,
                item_id,
                name=form.name.data,
                phone=form.phone.data,
                email=form.email.data,
                grounds=form.grounds.data,
                data=upload.read() if upload else b"",
                filename=upload.filename if upload else "",
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            for name, text in (exc.fields or {"form": exc.message}).items():
                form.errors.setdefault(name, []).append(text)
            status = exc.status
        else:
            flash(
                _(
                    "异议已受理，受理编号%(ref)s。处理结果将在公示页面公布。",
                    ref=objection.reference,
                ),
                "success",
            )
            return redirect(url_for(".show", publicity_id=publicity_id))
    elif form.errors:
        status = 400
    return render_template(
        "publicity/objection.html",
        publicity=publicity,
        item=item,
        form=form,
        running=publicity.running(local_today()),
    ), status


@bp.get("/pending")
@roles_required("finance")
def pending():
    return render_template(
        "publicity/pending.html", policies=queries.policies_awaiting(), form=PublishForm()
    )


@bp.post("/publish")
@roles_required("finance")
def publish():
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("请刷新页面后重试。"), "error")
        return redirect(url_for(".pending"))
    try:
        publicity = services.publish(current_user, form.policy.data or "")
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        return redirect(url_for(".pending"))
    flash(_("已发布公示，公示通知%(number)s。", number=publicity.notice.number), "success")
    return redirect(url_for(".show", publicity_id=publicity.id))


@bp.get("/objections")
@roles_required("reviewer")
def objections():
    return render_template(
        "publicity/objections.html",
        objections=queries.department_objections(current_user.department_id),
    )


@bp.get("/objections/<int:objection_id>")
@roles_required("reviewer")
def objection(objection_id: int):
    found = services.department_objection(current_user, objection_id)
    return render_template("publicity/objection_task.html", objection=found, form=ResolveForm())


@bp.post("/objections/<int:objection_id>/resolve")
@roles_required("reviewer")
def resolve(objection_id: int):
    services.department_objection(current_user, objection_id)  # 404 unless the department's
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(_("请刷新页面后重试。"), "error")
        return redirect(url_for(".objection", objection_id=objection_id))
    try:
        services.resolve(current_user, objection_id, form.outcome.data or "", form.reasons.data)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
        return redirect(url_for(".objection", objection_id=objection_id))
    flash(_("已处理该异议。"), "success")
    return redirect(url_for(".objection", objection_id=objection_id))


@bp.get("/objections/<int:objection_id>/evidence")
@roles_required("reviewer")
def evidence(objection_id: int):
    found = services.department_objection(current_user, objection_id)
    path = path_for(current_app.config["STORAGE_DIR"], found.evidence_sha256 or "")
    if not found.evidence_sha256 or not path.exists():
        abort(404)
    # As a claim's evidence is served: the type sniffed at upload, nosniff, a safe name.
    response = send_file(
        path,
        mimetype=found.evidence_type,
        as_attachment=True,
        download_name=file_name(found.evidence_filename, found.evidence_type),
    )
    return evidence_headers(response, found.evidence_type)
