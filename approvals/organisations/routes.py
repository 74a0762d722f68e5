"""Sign-in, sign-out, enterprise sign-up and colleague invitations."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from approvals.errors import Conflict, Invalid
from approvals.extensions import limiter
from approvals.organisations import services
from approvals.organisations.forms import InviteForm, SignInForm, SignUpForm
from approvals.web.access import home_url, roles_required, safe_next
from approvals.web.claim_page import with_errors

bp = Blueprint("auth", __name__)


def _failed_only(response) -> bool:
    """A sign-in that succeeds redirects; only the failures count against the limit."""
    return response.status_code != 302


@bp.route("/signin", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGNIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed_only
)
def signin():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(_("欢迎，%(name)s。", name=user.display_name or user.username), "success")
            target = form.next.data
            return redirect(safe_next(target) if target else home_url(user))
        form.password.errors = [_("用户名或密码错误")]
    return render_template("auth/signin.html", form=form), 401 if form.errors else 200


@bp.post("/signout")
@login_required
def signout():
    logout_user()
    flash(_("您已安全退出。"), "success")
    return redirect(url_for("auth.signin"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form, status = SignUpForm(), 200
    if form.validate_on_submit():
        data = {k: form[k].data for k in ("enterprise_name", "credit_code", "username", "password")}
        try:
            user = services.register_enterprise(**data)
        except (Invalid, Conflict) as exc:
            with_errors(form, exc)
            status = exc.status
        else:
            login_user(user)
            flash(_("企业注册成功，欢迎使用。"), "success")
            return redirect(home_url(user))
    return render_template("auth/signup.html", form=form), 422 if form.errors else status


@bp.route("/colleagues", methods=["GET", "POST"])
@roles_required("enterprise")
def colleagues():
    form = InviteForm()
    if form.validate_on_submit():
        data = {k: form[k].data for k in ("username", "password", "display_name")}
        try:
            user = services.invite_colleague(current_user, **data)
        except Invalid as exc:
            with_errors(form, exc)
        else:
            flash(_("已为同事 %(name)s 开通账号。", name=user.username), "success")
            return redirect(url_for("auth.colleagues"))
    people = services.colleagues(current_user)
    return render_template("auth/colleagues.html", form=form, people=people), (
        422 if form.errors else 200
    )
