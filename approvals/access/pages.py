"""Who may open a page: sign-in and role checks, each role's home, safe redirects."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, url_for
from flask_login import current_user, login_required

OFFICIALS = ("reviewer", "finance", "government")
HOMES = {
    "enterprise": "claims.mine",
    "reviewer": "web.queue",
    "finance": "web.queue",
    "government": "web.queue",
    "admin": "web.overview",
    "expert": "experts.index",
}


def roles_required(*roles: str):
    """Signed-out visitors go to the sign-in page; other roles get 403."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def home_url(user) -> str:
    return url_for(HOMES.get(user.role, "web.index"))


def safe_next(target: str | None) -> str:
    """Only a path on this site, never another host (an open redirect)."""
    parts = urlsplit(target or "")
    local = not parts.scheme and not parts.netloc and (target or "").startswith("/")
    if local and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("web.index")
