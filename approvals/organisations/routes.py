"""Sign-in, sign-out, enterprise sign-up, colleague invitations, password change and reset."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user

from approvals.access.pages import home_url, roles_required, safe_next
from approvals.errors import Conflict, Invalid
from approvals.forms import with_errors
from approvals.organisations import credentials, services, sessions, throttle
from approvals.organisations.forms import (
    InviteForm,
    PasswordChangeForm,
    PasswordResetForm,
    SignInForm,
    SignUpForm,
)

bp = Blueprint("auth", __name__)
bp.app_errorhandler(RateLimitExceeded)(throttle.too_many_attempts)

SESSION_KEY = "sid"  # the web session's token, in the signed session cookie


def signed_in_user(user_id: str):
    """Flask-Login's user loader: the cookie's user only while its server-side session lives."""
    user, reason = sessions.check(session.get(SESSION_KEY), "web")
    if user is not None and str(user.id) == user_id:
        return user
    if session.pop(SESSION_KEY, None) and reason in ("idle", "expired"):
        flash(_("登录已超时，请重新登录。"), "info")
    return None


def _begin(user) -> None:
    """A new server-side session for this browser; any earlier one of it is forgotten."""
    session[SESSION_KEY] = sessions.start(user, "web")
    login_user(user)


def _status(form, status: int = 200) -> int:
    return status if status != 200 or not form.errors else 422


@bp.route("/signin", methods=["GET", "POST"])
@throttle.limited("signin", throttle.named_account)
def signin():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = SignInForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.username.data, form.password.data)
        if user is not None:
            _begin(user)
            flash(_("欢迎，%(name)s。", name=user.display_name or user.username), "success")
            target = form.next.data
            return redirect(safe_next(target) if target else home_url(user))
        form.password.errors = [_("用户名或密码错误")]
    return render_template("auth/signin.html", form=form), 401 if form.errors else 200


@bp.post("/signout")
@login_required
def signout():
    """Ends every session and API token of the user, on every device."""
    sessions.sign_out(current_user._get_current_object())
    logout_user()
    session.pop(SESSION_KEY, None)
    flash(_("您已安全退出，所有设备上的登录均已结束。"), "success")
    return redirect(url_for("auth.signin"))


@bp.route("/signup", methods=["GET", "POST"])
@throttle.limited("signup", throttle.named_account)
def signup():
    form, status = SignUpForm(), 200
    if form.validate_on_submit():
        names = ("enterprise_name", "credit_code", "username", "password", "display_name")
        data = {k: form[k].data for k in names}
        try:
            user = services.register_enterprise(**data)
        except (Invalid, Conflict) as exc:
            with_errors(form, exc)
            status = exc.status
        else:
            _begin(user)
            flash(_("企业注册成功，欢迎使用。"), "success")
            return redirect(home_url(user))
    return render_template("auth/signup.html", form=form), _status(form, status)


@bp.route("/colleagues", methods=["GET", "POST"])
@roles_required("enterprise")
def colleagues():
    form, status = InviteForm(), 200
    if form.validate_on_submit():
        data = {k: form[k].data for k in ("username", "password", "display_name")}
        try:
            user = services.invite_colleague(current_user, **data)
        except (Invalid, Conflict) as exc:
            with_errors(form, exc)
            status = exc.status
        else:
            flash(_("已为同事 %(name)s 开通账号。", name=user.username), "success")
            return redirect(url_for("auth.colleagues"))
    people = services.colleagues(current_user)
    return render_template("auth/colleagues.html", form=form, people=people), _status(form, status)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@throttle.limited("password", throttle.signed_in_account)
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            credentials.change_password(user, form.current_password.data, form.password.data)
        except Invalid as exc:
            with_errors(form, exc)
        else:
            _begin(user)  # every other session and token has ended; this browser goes on
            flash(_("密码已修改，其他设备上的登录和 API 令牌均已失效。"), "success")
            return redirect(home_url(user))
    return render_template("auth/password.html", form=form), _status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@throttle.limited("reset", throttle.reset_link)
def reset_password(token: str):
    """The page an administrator's one-time link opens: set a new password, once."""
    reset = credentials.reset_for(token)  # 404 with a message when used, expired or unknown
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            credentials.reset_password(token, form.password.data)
        except Invalid as exc:
            with_errors(form, exc)
        else:
            flash(_("密码已重设，请用新密码登录。"), "success")
            return redirect(url_for("auth.signin"))
    return render_template("auth/reset.html", form=form, user=reset.user), _status(form)
