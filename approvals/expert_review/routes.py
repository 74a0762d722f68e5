"""The expert review pages: the expert's claims to score, a claim's score sheet with its
conflict declaration, and the department's ranking with its 择优立项 button."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

from approvals.access.pages import roles_required
from approvals.errors import Conflict, Invalid
from approvals.expert_review import ranking, scoring, stages
from approvals.expert_review.models import REASON_MAX
from approvals.extensions import db
from approvals.forms import with_errors
from approvals.i18n import lang
from approvals.policies.models import Policy

bp = Blueprint("experts", __name__, url_prefix="/expert-review")


class ConflictForm(FlaskForm):
    reason = StringField(_l("利益冲突情况"), validators=[Length(max=REASON_MAX)])


class FundForm(FlaskForm):
    """The ranking as the department saw it: the waiting claims' ids, best first."""

    ranked = StringField(validators=[Length(max=100_000)])


def criterion_label(criterion) -> str:
    return criterion.label_en if lang() == "en" else criterion.label_zh


def score_form(criteria, points: dict | None = None, formdata=None):
    """A form with one whole-number field per criterion (`c_<key>`), built per clause."""

    class ScoreForm(FlaskForm):
        pass

    for c in criteria:
        label = f"{criterion_label(c)}（0–{c.max_points}）"
        field = IntegerField(label, validators=[Optional(), NumberRange(0, c.max_points)])
        setattr(ScoreForm, f"c_{c.key}", field)
    data = {f"c_{k}": v for k, v in (points or {}).items()}
    return ScoreForm(formdata=formdata, data=data)


@bp.get("/")
@roles_required(scoring.panels.EXPERT)
def index():
    return render_template("expert_review/index.html", sheets=scoring.assigned(current_user))


def _sheet_page(sheet, form=None, conflict=None, status=200):
    form = form or score_form(sheet.criteria, sheet.points)
    page = render_template(
        "expert_review/sheet.html",
        sheet=sheet,
        form=form,
        conflict=conflict or ConflictForm(formdata=None),
        criterion_label=criterion_label,
    )
    return page, status


@bp.get("/claims/<int:claim_id>")
@roles_required(scoring.panels.EXPERT)
def sheet(claim_id: int):
    return _sheet_page(scoring.sheet(current_user, claim_id))


@bp.post("/claims/<int:claim_id>")
@roles_required(scoring.panels.EXPERT)
def score(claim_id: int):
    current = scoring.sheet(current_user, claim_id)
    form = score_form(current.criteria, formdata=request.form)
    if not form.validate_on_submit():
        return _sheet_page(current, form, status=422)
    given = {c.key: form[f"c_{c.key}"].data for c in current.criteria}
    try:
        scoring.score(current_user, claim_id, {k: v for k, v in given.items() if v is not None})
    except Invalid as exc:
        return _sheet_page(current, _keyed(form, exc), status=422)
    flash(_("评分已保存。"), "success")
    return redirect(url_for("experts.index"))


def _keyed(form, exc: Invalid):
    """The service names fields by criterion key; the form's fields are `c_<key>`."""
    for key, message in exc.fields.items():
        if f"c_{key}" in form:
            form[f"c_{key}"].errors = [*form[f"c_{key}"].errors, _(message)]
    return form


@bp.post("/claims/<int:claim_id>/conflict")
@roles_required(scoring.panels.EXPERT)
def declare_conflict(claim_id: int):
    current = scoring.sheet(current_user, claim_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        return _sheet_page(current, conflict=form, status=422)
    try:
        scoring.declare_conflict(current_user, claim_id, form.reason.data)
    except Invalid as exc:
        return _sheet_page(current, conflict=with_errors(form, exc), status=422)
    flash(_("已声明利益冲突，您将回避评审该单位的申报。"), "success")
    return redirect(url_for("experts.index"))


@bp.get("/rankings")
@roles_required(*ranking.VIEWERS)
def rankings():
    query = select(Policy).order_by(Policy.code)
    if current_user.role == "reviewer":
        query = query.where(Policy.department_id == current_user.department_id)
    clauses = [
        p for p in db.session.scalars(query) if stages.sources_of_workflow(p.workflow, stages.FUND)
    ]
    return render_template("expert_review/rankings.html", clauses=clauses)


def _ranking_page(policy_code: str, status: int = 200):
    result = ranking.for_department(current_user, policy_code)
    ranked = ",".join(str(r.claim.id) for r in result.waiting)
    form = FundForm(formdata=None, ranked=ranked)
    page = render_template(
        "expert_review/ranking.html", ranking=result, form=form, criterion_label=criterion_label
    )
    return page, status


@bp.get("/rankings/<policy_code>")
@roles_required(*ranking.VIEWERS)
def ranking_page(policy_code: str):
    return _ranking_page(policy_code)


@bp.post("/rankings/<policy_code>/fund")
@roles_required("reviewer")
def fund(policy_code: str):
    form = FundForm()
    if not form.validate_on_submit():
        return _ranking_page(policy_code, 422)
    seen = [int(p) for p in (form.ranked.data or "").split(",") if p.strip().isdigit()]
    try:
        result = ranking.fund(current_user, policy_code, seen)
    except Conflict as exc:
        flash(_(exc.message), "warning")
        return redirect(url_for("experts.ranking_page", policy_code=policy_code))
    funded = sum(1 for r in result.rows if r.funded)
    flash(_("择优立项已完成：立项 %(n)s 件。", n=funded), "success")
    return redirect(url_for("experts.ranking_page", policy_code=policy_code))
