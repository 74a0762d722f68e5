"""The enterprise profile page (企业信息), and the payee helpers every template may use."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from approvals.access.pages import roles_required
from approvals.errors import Invalid
from approvals.forms import with_errors
from approvals.organisations import profile
from approvals.organisations.forms import ProfileForm
from approvals.organisations.routes import bp


@bp.route("/profile", methods=["GET", "POST"])
@roles_required("enterprise")
def profile_page():
    enterprise = profile.own_enterprise(current_user)
    form = ProfileForm(data=profile.profile_values(enterprise))
    if form.validate_on_submit():
        try:
            profile.update_profile(current_user, {k: form[k].data for k in profile.PROFILE_FIELDS})
        except Invalid as exc:
            with_errors(form, exc)
        else:
            flash(_("企业信息已保存。"), "success")
            return redirect(url_for("auth.profile_page"))
    page = render_template(
        "organisations/profile.html",
        form=form,
        enterprise=enterprise,
        problem=profile.payee_problem(enterprise),
        changes=profile.account_changes(enterprise.id),
    )
    return page, 422 if form.errors else 200


@bp.app_context_processor
def payee_helpers() -> dict:
    return {
        # The number in full for finance, masked for everyone else.
        "payee_account": lambda number: profile.shown_account(current_user, number),
        "payee_problem": profile.payee_problem,
        "awaits_payee": profile.awaits_payee,
    }
