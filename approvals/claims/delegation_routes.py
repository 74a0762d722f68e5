"""The officials' 委派 page: the delegations one gave and received, naming a substitute for a
period, and revoking one (approvals/claims/delegations.py)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from approvals.access.pages import OFFICIALS, roles_required
from approvals.claims import delegations
from approvals.claims.forms import options
from approvals.clock import local_today
from approvals.errors import Conflict, Invalid
from approvals.forms import with_errors

bp = Blueprint("delegations", __name__)


class DelegationForm(FlaskForm):
    """Whom, from when until when, and why; the service says what is wrong with each."""

    substitute = SelectField(_l("受委派人"), validate_choice=False)
    starts_on = DateField(_l("开始日期"), validators=[Optional()])
    ends_on = DateField(_l("结束日期"), validators=[Optional()])
    reason = StringField(_l("委派原因"), validators=[Length(max=delegations.REASON_MAX)])


def _page(form: DelegationForm, status: int = 200):
    given, received = delegations.listed(current_user)
    people = delegations.substitutes(current_user)
    form.substitute.choices = options(
        [("", _("请选择"))]
        + [
            (
                str(u.id),
                f"{u.display_name or u.username}（{u.department.name if u.department else ''}）",
            )
            for u in people
        ]
    )
    page = render_template(
        "delegations/index.html",
        form=form,
        given=given,
        received=received,
        today=local_today(),
        status_of=delegations.status,
        status_labels=delegations.STATUS_LABELS,
    )
    return page, status


@bp.get("/delegations")
@roles_required(*OFFICIALS)
def index():
    today = local_today()
    return _page(DelegationForm(formdata=None, starts_on=today, ends_on=today))


@bp.post("/delegations")
@roles_required(*OFFICIALS)
def create():
    form = DelegationForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        made = delegations.delegate(
            current_user,
            form.substitute.data,
            form.starts_on.data,
            form.ends_on.data,
            form.reason.data,
        )
    except Invalid as exc:
        return _page(with_errors(form, exc), 422)
    name = made.substitute.display_name or made.substitute.username
    flash(_("已委派 %(name)s 代为办理审核任务。", name=name), "success")
    return redirect(url_for("delegations.index"))


@bp.post("/delegations/<int:delegation_id>/revoke")
@roles_required(*OFFICIALS)
def revoke(delegation_id: int):
    try:
        delegations.revoke(current_user, delegation_id)
    except Conflict as exc:
        flash(_(exc.message), "warning")
    else:
        flash(_("已撤销该委派。"), "success")
    return redirect(url_for("delegations.index"))
