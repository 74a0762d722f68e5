"""A claim's notices as files, and their public verification (/verify/<code>): anyone may
check a notice."""

from io import BytesIO

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required

from approvals.clock import LOCAL
from approvals.notices.facts import DOCUMENT_TITLES, signers_from_json
from approvals.notices.forms import CompareForm, LookupForm
from approvals.notices.queries import get_visible_notice, still_rendering
from approvals.notices.verification import (
    find_by_code,
    is_pdf,
    matches,
    normalise_code,
    record_holds,
)
from approvals.notices.wording import signed_parts

bp = Blueprint("notices", __name__)


@bp.route("/verify", methods=["GET", "POST"])
def lookup():
    form = LookupForm()
    if form.validate_on_submit():
        return redirect(url_for("notices.verify", code=normalise_code(form.code.data)))
    return render_template("verify/lookup.html", form=form)


@bp.route("/verify/<code>", methods=["GET", "POST"])
def verify(code: str):
    notice = find_by_code(code)
    form = CompareForm()
    result = None
    intact = record_holds(notice)
    if form.validate_on_submit():
        data = form.file.data.read()
        # Another kind of file is told so, not compared: it cannot be any notice.
        result = "not_pdf" if not is_pdf(data) else intact and matches(notice, data)
    issued = notice.issued_at.astimezone(LOCAL)
    return render_template(
        "verify/notice.html",
        notice=notice,
        facts=notice.all_facts if notice.claim_id else notice.facts,
        title=DOCUMENT_TITLES.get(notice.kind, notice.kind),
        issued_on=f"{issued.year}年{issued.month}月{issued.day}日",
        # who signed the review tasks the notice records, as it prints them; of a record
        # that holds only
        signed=signed_parts(signers_from_json(notice.facts.get("signers"))) if intact else [],
        form=form,
        result=result,
        intact=intact,
    )


@bp.get("/claims/<int:claim_id>/notices/<int:notice_id>.pdf")
@login_required
def notice_pdf(claim_id: int, notice_id: int):
    notice = get_visible_notice(current_user, notice_id)
    if notice.claim_id != claim_id:
        abort(404)
    if notice.file is None:
        return still_rendering(notice)
    return send_file(
        BytesIO(notice.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{notice.number}.pdf",
    )
