"""The administrator's clause pages: the list, a new clause, and a clause's form with the
history of its versions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from approvals.access.pages import roles_required
from approvals.errors import DomainError
from approvals.extensions import db
from approvals.forms import with_errors
from approvals.organisations.models import Department
from approvals.policies import bp, services, versions
from approvals.policies.forms import PolicyForm, form_data


def _form(**kwargs) -> PolicyForm:
    departments = db.session.scalars(select(Department).order_by(Department.id))
    return PolicyForm(**kwargs).offer(departments)


def _page(form: PolicyForm, policy=None, status: int = 200):
    history = versions.history(policy) if policy is not None else []
    filed = versions.claims_filed(policy) if policy is not None else {}
    page = render_template(
        "admin/policy_form.html",
        form=form,
        policy=policy,
        history=history,
        filed=filed,
        changed={
            n: [form.label_of(term) for term in terms]
            for n, terms in versions.changes(history).items()
        },
    )
    return page, status


def _refused(form: PolicyForm, exc: DomainError, policy=None):
    exc.fields = form.show(exc.fields)
    with_errors(form, exc)
    return _page(form, policy, exc.status if exc.status != 400 else 422)


@bp.get("")
@roles_required("admin")
def index():
    policies = services.listed(current_user)
    return render_template("admin/policies.html", policies=policies)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.is_submitted() else 200)
    try:
        policy = services.create(current_user, form.values())
    except DomainError as exc:
        return _refused(form, exc)
    flash(_("已新建政策条款 %(code)s。", code=policy.code), "success")
    return redirect(url_for("policies.edit", policy_code=policy.code))


@bp.route("/<policy_code>", methods=["GET", "POST"])
@roles_required("admin")
def edit(policy_code: str):
    policy = services.get(current_user, policy_code)
    form = _form() if request.method == "POST" else _form(data=form_data(policy))
    if not form.validate_on_submit():
        return _page(form, policy, 422 if form.is_submitted() else 200)
    values = form.values() | {"code": policy.code}  # the code is not edited
    try:
        before = policy.version
        policy = services.edit(current_user, policy.code, values, _version(form))
    except DomainError as exc:
        return _refused(form, exc, policy)
    if policy.version == before:
        flash(_("条款未作修改。"), "info")
    else:
        flash(_("已保存：条款现为第 %(n)s 版。", n=policy.version), "success")
    return redirect(url_for("policies.edit", policy_code=policy.code))


def _version(form: PolicyForm) -> int | None:
    text = (form.version.data or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
