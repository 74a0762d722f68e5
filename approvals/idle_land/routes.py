"""The idle-land pages: the cases, a township's report form, and a case with the criteria
it meets. Moves are taken on the claim page, through the one door, like any claim's."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Optional

from approvals.access.pages import roles_required
from approvals.errors import Conflict, Forbidden, Invalid
from approvals.forms import with_errors
from approvals.idle_land import pages, services

bp = Blueprint("idle_land", __name__, url_prefix="/idle-land")
VIEWERS = ("enterprise", "reviewer", "government", "admin")


class ReportForm(FlaskForm):
    """The facts of a parcel; parsed and checked by the service (services.parse_facts)."""

    owner_credit_code = StringField(_l("土地使用权人统一社会信用代码"))
    land_number = StringField(_l("宗地编号"))
    location = StringField(_l("土地坐落"))
    land_area = StringField(_l("土地面积（平方米）"))
    granted_on = DateField(_l("供地日期"), validators=[Optional()])
    land_premium = StringField(_l("土地出让价款（元）"))
    agreed_start_on = DateField(_l("约定动工日期"), validators=[Optional()])
    started_on = DateField(_l("实际动工日期（未动工不填）"), validators=[Optional()])
    planned_area = StringField(_l("应开发建设面积（平方米）"))
    built_area = StringField(_l("已开发建设面积（平方米）"))
    planned_investment = StringField(_l("总投资额（元）"))
    invested = StringField(_l("已完成投资额（元）"))


def _refuse_other_enterprises() -> None:
    """Of the enterprise-role users, townships alone report and follow idle land."""
    if current_user.role == "enterprise" and not services.reports(current_user):
        raise Forbidden(_("只有乡镇（街道）用户可以报送疑似闲置土地"))


@bp.get("/")
@roles_required(*VIEWERS)
def index():
    _refuse_other_enterprises()
    return render_template("idle_land/index.html", cases=pages.cases(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("enterprise")
def new():
    _refuse_other_enterprises()
    form = ReportForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("idle_land/new.html", form=form), status
    raw = {name: request.form.get(name, "") for name, _kind in services.FACTS}
    try:
        claim = services.file_report(current_user, raw)
    except Invalid as exc:
        return render_template("idle_land/new.html", form=with_errors(form, exc)), exc.status
    except Conflict as exc:  # the parcel's live case: its number is in the message
        flash(_(exc.message), "error")
        return render_template("idle_land/new.html", form=form), exc.status
    flash(_("已保存疑似闲置土地报送草稿，请核对后报送国土局。"), "success")
    return redirect(url_for("idle_land.case", claim_id=claim.id))


@bp.get("/<int:claim_id>")
@roles_required(*VIEWERS)
def case(claim_id: int):
    return render_template("idle_land/case.html", case=pages.case(current_user, claim_id))
