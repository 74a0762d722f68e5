"""材料库 pages: the enterprise's library, its files; and the claim page's library forms
(attach by reference), the reviewer's itemised return and the enterprise's answers."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from approvals.access.pages import roles_required
from approvals.claims import decision
from approvals.claims.forms import options
from approvals.claims.page import render_claim
from approvals.claims.routes import STALE
from approvals.claims.services import get_visible
from approvals.claims.storage import path_for
from approvals.downloads import evidence_headers, file_name, stored_file
from approvals.errors import Conflict, DomainError, Invalid
from approvals.forms import with_errors
from approvals.library import answers, bp, checklist, documents
from approvals.policies.vocabulary import EVIDENCE_KINDS
from approvals.workflow import runtime


class DocumentForm(FlaskForm):
    """A document for the library; the service checks the file and the date in its words."""

    kind = SelectField(_l("材料类别"), validate_choice=False)
    file = FileField(_l("文件（PDF、JPEG 或 PNG，不超过 20 MB）"))
    valid_until = StringField(
        _l("有效期至（无期限可不填）"), validators=[Optional()], render_kw={"type": "date"}
    )


def _document_form(formdata=None) -> DocumentForm:
    form = DocumentForm(formdata=formdata) if formdata is not None else DocumentForm()
    form.kind.choices = options([(k, _(label)) for k, label in EVIDENCE_KINDS.items()])
    return form


def _library_page(form=None, status: int = 200):
    enterprise_id = current_user.enterprise_id
    current = documents.current_documents(enterprise_id)
    earlier = documents.earlier_versions(enterprise_id)
    page = render_template(
        "library/index.html",
        form=form or _document_form(formdata=None),
        documents=current,
        earlier=earlier,
        used=documents.usage([d.id for d in current + earlier]),
        today=documents.today(),
    )
    return page, status


@bp.get("/library")
@roles_required("enterprise")
def index():
    return _library_page()


@bp.post("/library")
@roles_required("enterprise")
def upload():
    form = _document_form(formdata=request.form | request.files)
    upload = request.files.get("file")
    data, name = (upload.read(), upload.filename or "") if upload else (b"", "")
    replaces = request.form.get("document") or None
    try:
        documents.upload(
            current_user, data, name, form.kind.data, form.valid_until.data, replaces=replaces
        )
    except Invalid as exc:
        if replaces:  # a version's row form: the problem over the page
            flash(_(exc.message), "error")
            return _library_page(None, 422)
        return _library_page(with_errors(form, exc), 422)
    flash(_("已存入材料库：%(name)s", name=name), "success")
    return redirect(url_for("library.index"), 303)


@bp.get("/library/files/<sha256>")
@roles_required("enterprise")
@stored_file
def document_file(sha256: str):
    document = documents.own_document(current_user, sha256)
    response = send_file(
        path_for(current_app.config["STORAGE_DIR"], document.sha256),
        mimetype=document.content_type,
        download_name=file_name(document.filename, document.content_type),
    )
    return evidence_headers(response, document.content_type)


def _to_claim(claim_id: int, anchor: str = ""):
    return redirect(url_for("claims.detail", claim_id=claim_id) + anchor, 303)


def _on_claim(claim_id: int, call, done: str, anchor: str):
    """One service call from a claim page form: its problem flashed over the page again."""
    try:
        call()
    except DomainError as exc:
        if exc.status in (401, 403, 404):
            raise
        flash(_(STALE) if exc.code == "stale_version" else _(exc.message), "error")
        return render_claim(get_visible(current_user, claim_id), exc.status)
    flash(done, "success")
    return _to_claim(claim_id, anchor)


@bp.post("/claims/<int:claim_id>/library")
@roles_required("enterprise", "reviewer")
def attach(claim_id: int):
    ids = request.form.getlist("document")
    return _on_claim(
        claim_id,
        lambda: documents.attach(current_user, claim_id, ids),
        _("已从材料库添加所选材料。"),
        "#evidence",
    )


@bp.post("/claims/<int:claim_id>/supplement-answers")
@roles_required("enterprise", "reviewer")
def answer(claim_id: int):
    upload = request.files.get("file")
    data, name = (upload.read(), upload.filename or "") if upload else (b"", "")
    return _on_claim(
        claim_id,
        lambda: answers.answer(
            current_user,
            claim_id,
            request.form.get("item", ""),
            reply=request.form.get("reply", ""),
            data=data,
            filename=name,
            document_id=request.form.get("document") or None,
        ),
        _("已答复该补正事项。"),
        "#supplement-items",
    )


@bp.post("/claims/<int:claim_id>/supplement-request")
@roles_required("reviewer")
def return_itemised(claim_id: int):
    """The claim page's decision form, posted by its 退回补正 button: the same move as
    claims.act takes, with the ticked items as the checklist field's text."""
    claim = get_visible(current_user, claim_id)
    offered = decision.offer(current_user, claim)
    form = decision.posted_form(offered.here)
    move = offered.move(form.trigger.data or "")
    if not form.validate_on_submit() or move is None:
        return render_claim(claim, 422, decision=form)
    form[checklist.NAME].data = checklist.posted_text(request.form)
    payload = form.payload(move.requires)
    try:
        runtime.advance(current_user, claim.id, move.trigger, version=form.version.data, **payload)
    except Conflict as exc:
        flash(_(STALE) if exc.code == "stale_version" else _(exc.message), "warning")
        form.version.data = claim.version
        return render_claim(claim, 409, decision=form)
    except Invalid as exc:
        return render_claim(claim, 422, decision=with_errors(form, exc))
    flash(_("已办理，申报状态已更新。"), "success")
    return _to_claim(claim.id)
