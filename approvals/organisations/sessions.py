"""Server-side session state: every web session and API token is a row the server can end.

A sign-in makes a random token; the browser keeps it in the signed session cookie, an API
client in `Authorization: Bearer`. Only its SHA-256 is stored. A session holds while its
row is open, its user active, it was used within the idle timeout (30 minutes for
officials, 2 hours for enterprises) and it is younger than the absolute limit (12 hours).
Sign-out, a password change or reset and a deactivation end every open row of the user
at once, web and API alike. The clock is `AUTH_CLOCK` in the config (tests inject one).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from approvals.db import transaction, utcnow
from approvals.errors import Unauthorized
from approvals.extensions import db
from approvals.organisations.models import User, UserSession

KINDS = ("web", "api")
# A session's last use is written at most this often: one write per minute, not per request.
TOUCH_EVERY = timedelta(seconds=60)


def now() -> datetime:
    return current_app.config.get("AUTH_CLOCK", utcnow)()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def idle_timeout(user: User) -> timedelta:
    config = current_app.config
    if user.role == "enterprise":
        return timedelta(minutes=config["SESSION_IDLE_ENTERPRISE_MINUTES"])
    return timedelta(minutes=config["SESSION_IDLE_OFFICIAL_MINUTES"])


def absolute_timeout() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])


def start(user: User, kind: str) -> str:
    """Open a session of `kind` for a user who has just proved who they are."""
    assert kind in KINDS
    token = secrets.token_urlsafe(32)
    at = now()
    with transaction():
        row = UserSession(user_id=user.id, token_hash=token_hash(token), kind=kind)
        row.created_at = row.last_seen_at = at
        db.session.add(row)
    return token


def _expiry_reason(row: UserSession, at: datetime) -> str | None:
    if row.ended_at is not None:
        return row.end_reason or "ended"
    if not row.user.active:
        return "deactivated"
    if at - row.created_at >= absolute_timeout():
        return "expired"
    if at - row.last_seen_at >= idle_timeout(row.user):
        return "idle"
    return None


def check(token: str | None, kind: str) -> tuple[User | None, str]:
    """(user, "") for a live session, else (None, why): unknown, signout, password,
    deactivated, idle or expired. A session found timed out is ended on the way."""
    if not token or not isinstance(token, str) or len(token) > 256:
        return None, "unknown"
    row = db.session.scalar(
        select(UserSession).where(
            UserSession.token_hash == token_hash(token), UserSession.kind == kind
        )
    )
    if row is None:
        return None, "unknown"
    at = now()
    reason = _expiry_reason(row, at)
    if reason in ("idle", "expired"):
        with transaction():
            _end(at=at, reason=reason, ids=[row.id])
    if reason:
        return None, reason
    if at - row.last_seen_at >= TOUCH_EVERY:
        with transaction():
            row.last_seen_at = at
    return row.user, ""


def _end(*, at: datetime, reason: str, user_id: int | None = None, ids=None) -> int:
    query = update(UserSession).where(UserSession.ended_at.is_(None))
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    if ids is not None:
        query = query.where(UserSession.id.in_(ids))
    query = query.values(ended_at=at, end_reason=reason)
    return db.session.execute(query, execution_options={"synchronize_session": False}).rowcount


def end_all(user: User, reason: str) -> int:
    """End every open session and API token of a user; the caller owns the transaction."""
    ended = _end(at=now(), reason=reason, user_id=user.id)
    db.session.expire_all()  # rows already loaded in this session must not look open
    return ended


def sign_out(user: User) -> int:
    """Sign-out ends the user's sessions everywhere, not only in this browser."""
    with transaction():
        return end_all(user, "signout")


# API tokens are sessions of kind "api": they die with the user's other sessions.

MESSAGES = {
    "idle": ("令牌长时间未使用已失效，请重新获取", "token_expired"),
    "expired": ("令牌已过期，请重新获取", "token_expired"),
}


def issue_token(user: User) -> str:
    return start(user, "api")


def user_for_token(token: str) -> User:
    user, reason = check(token, "api")
    if user is None:
        message, code = MESSAGES.get(reason, ("令牌无效或已失效，请重新登录", "invalid_token"))
        raise Unauthorized(message, code=code)
    return user
