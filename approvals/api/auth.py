"""Bearer-token authentication for the API, and the token's password change and sign-out.

A token is a server-side session of kind "api" (approvals/organisations/sessions.py): it
dies with the user's other sessions, on sign-out, a password change or reset, or the
user's deactivation. The web session never authenticates the API.
"""

from __future__ import annotations

from functools import wraps

from flask import g, jsonify, request

from approvals import limits
from approvals.api import bp, parsing
from approvals.api.parsing import Text
from approvals.errors import Unauthorized
from approvals.organisations import credentials, sessions
from approvals.organisations.throttle import limited, signed_in_account

PASSWORD_CHANGE = {
    "current_password": Text(limits.PASSWORD),
    "new_password": Text(limits.PASSWORD),
}


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("请提供 Authorization: Bearer <token>")
        g.api_user = sessions.user_for_token(token.strip())
        return view(g.api_user, *args, **kwargs)

    return wrapper


@bp.post("/auth/password")
@token_required
@limited("password", signed_in_account)
def change_password(actor):
    """`{current_password, new_password}` → a new `{token, role}`; every other token and
    web session of the user has ended, this one too."""
    data = parsing.body(PASSWORD_CHANGE)
    credentials.change_password(actor, data.get("current_password"), data.get("new_password"))
    return jsonify({"token": sessions.issue_token(actor), "role": actor.role})


@bp.post("/auth/signout")
@token_required
def signout(actor):
    """Ends every session and token of the user, on every device."""
    sessions.sign_out(actor)
    return "", 204
