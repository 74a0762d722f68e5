"""Bearer-token authentication for the API; the web session never authenticates it."""

from __future__ import annotations

from functools import wraps

from flask import g, request

from approvals.errors import Unauthorized
from approvals.organisations.services import user_for_token


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("请提供 Authorization: Bearer <token>")
        g.api_user = user_for_token(token.strip())
        return view(g.api_user, *args, **kwargs)

    return wrapper
