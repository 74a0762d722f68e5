"""Rate limits on every endpoint that takes a credential, per account and per address.

Counted by Flask-Limiter in `RATELIMIT_STORAGE_URI`: in-memory by default (one process),
Redis in production, so that every worker and machine shares one count. Each family of
endpoints (sign-in, password change, sign-up, password reset) counts under its own
names, and the web page and the API of a family share them: guessing through both at
once gains nothing. Sign-in, password change and reset count failures only (4xx);
sign-up counts every attempt, since a successful one is what a flood would want.
A refusal is 429 with `Retry-After` and a message saying when to try again.
"""

from __future__ import annotations

import time
import unicodedata

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user

from approvals.errors import DomainError, error_body, wants_json
from approvals.extensions import limiter


def address() -> str:
    return f"address:{get_remote_address() or 'unknown'}"


def _folded(name: object) -> str:
    if not isinstance(name, str):
        return ""
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    return folded[:64].encode("utf-8", "replace").decode("utf-8")


def named_account() -> str:
    """The account a request names (form or JSON `username`); empty: no per-account count."""
    name = request.form.get("username") if request.form else None
    if name is None and request.is_json:
        from approvals.input import json_object  # the one reader, with its limits

        try:
            name = json_object().get("username")
        except DomainError:  # not a JSON object, too deep, too large: the view says so
            name = None
    folded = _folded(name)
    return f"account:{folded}" if folded else ""


def signed_in_account() -> str:
    """The account of the web session or of the API token (checked before the limit)."""
    user = getattr(g, "api_user", None) or current_user
    return f"user:{user.id}" if getattr(user, "is_authenticated", False) else ""


def reset_link() -> str:
    """A reset link belongs to one account: count attempts per link."""
    token = (request.view_args or {}).get("token", "")
    return f"link:{token[:64]}" if token else ""


def _failed(response) -> bool:
    return response.status_code >= 400


FAMILIES = {
    # family: (config key of the limit, message, counts only failures)
    "signin": ("SIGNIN_RATE_LIMIT", _l("登录失败次数过多。"), True),
    "password": ("SIGNIN_RATE_LIMIT", _l("密码验证失败次数过多。"), True),
    "signup": ("SIGNUP_RATE_LIMIT", _l("注册尝试过于频繁。"), False),
    "reset": ("PASSWORD_RESET_RATE_LIMIT", _l("重设密码尝试次数过多。"), True),
}


def limited(family: str, account_key):
    """Decorate a view with its family's limits, per address and per `account_key`."""
    setting, message, failures_only = FAMILIES[family]

    def decorate(view):
        for scope, key in ((f"{family}:address", address), (f"{family}:account", account_key)):
            view = limiter.shared_limit(
                lambda: current_app.config[setting],
                scope=scope,
                key_func=key,
                methods=["POST"] if family != "reset" else None,
                deduct_when=_failed if failures_only else None,
                error_message=lambda: str(message),
            )(view)
        return view

    return decorate


def too_many_attempts(exc):
    """429 in the user's words, with when to try again; the API keeps its error shape."""
    current = limiter.current_limit
    seconds = max(1, int(current.reset_at - time.time())) if current else 60
    message = _("%(what)s请在 %(seconds)s 秒后再试。", what=exc.description, seconds=seconds)
    headers = {"Retry-After": str(seconds)}
    if wants_json():
        return jsonify(error_body("rate_limited", message)), 429, headers
    return render_template("errors.html", status=429, message=message), 429, headers
