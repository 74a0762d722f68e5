"""The administrator's user management: find accounts, make a reset link, (de)activate."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from approvals.access.pages import roles_required
from approvals.errors import DomainError
from approvals.organisations import credentials
from approvals.organisations.routes import bp


@bp.get("/admin/users")
@roles_required("admin")
def users():
    search = request.args.get("q", "")
    people = credentials.users(current_user, search)
    return render_template("auth/users.html", people=people, search=search)


@bp.post("/admin/users/<int:user_id>/reset-link")
@roles_required("admin")
def reset_link(user_id: int):
    """Shown once: only the link's hash is kept, so a lost link means making a new one."""
    try:
        link = credentials.issue_reset_link(current_user, user_id)
    except DomainError as exc:
        flash(_(exc.message), "error")
        return redirect(url_for("auth.users"))
    return render_template("auth/reset_link.html", link=link)


@bp.post("/admin/users/<int:user_id>/active")
@roles_required("admin")
def set_active(user_id: int):
    active = request.form.get("active") == "1"
    try:
        user = credentials.set_active(current_user, user_id, active)
    except DomainError as exc:
        flash(_(exc.message), "error")
    else:
        if active:
            flash(_("已启用账号 %(name)s。", name=user.username), "success")
        else:
            message = _("已停用账号 %(name)s，其所有登录和 API 令牌已失效。", name=user.username)
            flash(message, "success")
    return redirect(url_for("auth.users", q=request.form.get("q", "")))
