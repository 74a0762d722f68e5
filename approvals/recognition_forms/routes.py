"""The 申请认定表 pages: the department's forms and its claims waiting for one, a form with its
claims and signatures and the step the viewer may take, its PDF, and the deadline report."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length

from approvals import limits
from approvals.access.pages import roles_required
from approvals.access.roles import POSITION_LABELS
from approvals.claims.forms import options
from approvals.clock import local_today
from approvals.errors import DomainError
from approvals.recognition_forms import report, services
from approvals.recognition_forms.notice import signatures, total

bp = Blueprint("recognition_forms", __name__, url_prefix="/recognition-forms")
VIEWERS = ("reviewer", *services.READERS)
STEPS = {"check": services.check, "send": services.send, "return": services.send_back}
ACTION_LABELS = {
    "prepare": _l("经办（填报）"),
    "check": _l("审核"),
    "send": _l("审批并报送"),
    "return": _l("退回"),
}
DONE = {
    "check": _l("已审核该申请认定表，待分管领导审批。"),
    "send": _l("申请认定表已审批并报送市财政局（企业科），所列申报已转财政复核。"),
    "return": _l("已退回该申请认定表，经办人可重新填报。"),
}


class PrepareForm(FlaskForm):
    call_year = SelectField(_l("申报年度"), coerce=int, validators=[InputRequired()])
    comment = TextAreaField(_l("经办意见"), validators=[Length(max=limits.COMMENT)])


class StepForm(FlaskForm):
    version = IntegerField(validators=[InputRequired()])
    comment = TextAreaField(_l("意见"), validators=[Length(max=limits.COMMENT)])


def _prepare_form() -> PrepareForm | None:
    if current_user.role != "reviewer" or current_user.position != "case_officer":
        return None
    form = PrepareForm()
    years = services.waiting_years(current_user.department_id)
    form.call_year.choices = options(
        [(year, _("%(year)s年度（%(n)s项待报送）", year=year, n=n)) for year, n in years]
    )
    return form


@bp.get("/")
@roles_required(*VIEWERS)
def index():
    department = current_user.role == "reviewer"
    return render_template(
        "recognition_forms/index.html",
        forms=services.list_forms(current_user),
        waiting=services.waiting_years(current_user.department_id) if department else [],
        prepare=_prepare_form(),
        status_labels=services.STATUS_LABELS,
    )


@bp.post("/")
@roles_required("reviewer")
def prepare():
    form = _prepare_form()
    if form is None or not form.validate_on_submit():
        flash(_("请选择申报年度。"), "error")
        return redirect(url_for(".index"))
    try:
        made = services.prepare(current_user, form.call_year.data, form.comment.data)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for(".index"))
    flash(_("已填报申请认定表，待科室负责人审核。"), "success")
    return redirect(url_for(".detail", form_id=made.id))


@bp.get("/<int:form_id>")
@roles_required(*VIEWERS)
def detail(form_id: int):
    form = services.get_form(current_user, form_id)
    return render_template(
        "recognition_forms/form.html",
        form=form,
        total=total(form),
        signatures=signatures(form),
        actions=services.actions(current_user, form),
        step=StepForm(version=form.version),
        status_label=services.status_label,
        action_labels=ACTION_LABELS,
        position_labels=POSITION_LABELS,
    )


@bp.post("/<int:form_id>/<action>")
@roles_required("reviewer")
def take_step(form_id: int, action: str):
    step = STEPS.get(action)
    if step is None:
        abort(404)
    posted = StepForm()
    if not posted.validate_on_submit():
        flash(_("请刷新页面后重试。"), "error")
        return redirect(url_for(".detail", form_id=form_id))
    try:
        step(current_user, form_id, version=posted.version.data, comment=posted.comment.data)
    except DomainError as exc:
        if exc.status == 404:
            raise
        flash(exc.message, "error")
    else:
        flash(str(DONE[action]), "success")
    return redirect(url_for(".detail", form_id=form_id))


@bp.get("/<int:form_id>.pdf")
@login_required
def pdf(form_id: int):
    form = services.get_form(current_user, form_id)
    if form.notice is None:
        abort(404)
    return send_file(
        BytesIO(form.notice.pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{form.notice.number}.pdf",
    )


@bp.get("/report")
@roles_required(*services.READERS)
def deadline_report():
    years = report.call_years()
    year = request.args.get("year", type=int) or (years[0] if years else local_today().year - 1)
    return render_template(
        "recognition_forms/report.html",
        year=year,
        years=years,
        lines=report.report(year),
        last_day=report.last_day(year),
    )
