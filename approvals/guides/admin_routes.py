"""The administrator's page for a clause's guide: whom to ask, and what each material must
show with its sample; reached from the clause's form (templates/admin/policy_form.html)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from approvals.access.pages import roles_required
from approvals.errors import Invalid
from approvals.guides import bp, materials
from approvals.guides.forms import GuideForm, posted_values
from approvals.policies import services


def _page(form, policy, problems=None, status=200):
    page = render_template(
        "guides/admin.html",
        form=form,
        policy=policy,
        materials=materials.materials_of(policy),
        problems=problems or {},
    )
    return page, status


@bp.route("/admin/<policy_code>", methods=["GET", "POST"])
@roles_required("admin")
def edit(policy_code: str):
    policy = services.get(current_user, policy_code)
    form = GuideForm(
        data={"contact_name": policy.contact_name, "contact_phone": policy.contact_phone}
    )
    if not form.validate_on_submit():
        return _page(form, policy, status=422 if form.is_submitted() else 200)
    values = posted_values(form, list(policy.required_evidence), request.form, request.files)
    try:
        materials.save(current_user, policy, values)
    except Invalid as exc:
        return _page(form, policy, exc.fields, 422)
    flash(_("申兑指南已保存。"), "success")
    return redirect(url_for("guides.edit", policy_code=policy.code))
