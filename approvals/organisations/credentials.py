"""Changing credentials: a user's own password change, an administrator's one-time reset
link, and deactivation. Each ends every session and API token of the user it concerns."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from approvals.db import transaction
from approvals.errors import Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations import passwords, sessions
from approvals.organisations.models import PasswordReset, User

RESET_PATH = "/reset/"
LINK_INVALID = N_("该链接无效、已使用或已过期，请联系管理员重新生成")


def _set_password(user: User, new_password: object, field: str = "password") -> None:
    problem = passwords.password_problem(new_password, user.username)
    if problem:
        raise Invalid(problem, fields={field: problem})
    user.password_hash = passwords.hash_password(new_password)


def change_password(user: User, current_password: object, new_password: object) -> None:
    """The user proves the current password and sets a new one; every session and API
    token of the user ends (the caller opens a fresh one for the device in hand)."""
    if not passwords.verify(user.password_hash, current_password):
        message = N_("当前密码不正确")
        raise Invalid(message, code="wrong_password", fields={"current_password": message})
    with transaction():
        _set_password(user, new_password)
        sessions.end_all(user, "password")


def _require_admin(actor: User) -> None:
    if actor.role != "admin":
        raise Forbidden("只有系统管理员可以管理账号")


def _target(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("账号不存在")
    return user


@dataclass(frozen=True)
class ResetLink:
    user: User
    url: str
    expires_at: datetime


def issue_reset_link(actor: User, user_id: int) -> ResetLink:
    """A one-time link for the user to set a new password, shown once to the administrator,
    who hands it over in person or by a trusted channel. An earlier unused link dies."""
    _require_admin(actor)
    user = _target(user_id)
    if not user.active:
        raise Invalid("该账号已停用，请先启用再重设密码", code="inactive")
    token = secrets.token_urlsafe(32)
    at = sessions.now()
    expires_at = at + timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])
    with transaction():
        db.session.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
            .values(expires_at=at),
            execution_options={"synchronize_session": False},
        )
        db.session.add(
            PasswordReset(
                user_id=user.id,
                created_by_id=actor.id,
                token_hash=sessions.token_hash(token),
                created_at=at,
                expires_at=expires_at,
            )
        )
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return ResetLink(user=user, url=f"{base}{RESET_PATH}{token}", expires_at=expires_at)


def reset_for(token: str) -> PasswordReset:
    """The unused, unexpired reset a link stands for; NotFound otherwise."""
    reset = None
    if isinstance(token, str) and 0 < len(token) <= 256:
        reset = db.session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == sessions.token_hash(token))
        )
    if (
        reset is None
        or reset.used_at is not None
        or reset.expires_at <= sessions.now()
        or not reset.user.active
    ):
        raise NotFound(LINK_INVALID, code="reset_link_invalid")
    return reset


def reset_password(token: str, new_password: object) -> User:
    """Set the new password through a reset link, at most once even when two requests race:
    the link is marked used by a conditional UPDATE that only one of them can win."""
    reset = reset_for(token)
    user = reset.user
    at = sessions.now()
    with transaction():
        _set_password(user, new_password)
        claimed = db.session.execute(
            update(PasswordReset)
            .where(
                PasswordReset.id == reset.id,
                PasswordReset.used_at.is_(None),
                PasswordReset.expires_at > at,
            )
            .values(used_at=at),
            execution_options={"synchronize_session": False},
        ).rowcount
        if claimed != 1:
            raise NotFound(LINK_INVALID, code="reset_link_invalid")
        sessions.end_all(user, "password")
    return user


def set_active(actor: User, user_id: int, active: bool) -> User:
    """Deactivate (ending every session and token at once) or reactivate an account."""
    _require_admin(actor)
    user = _target(user_id)
    if user.id == actor.id and not active:
        raise Invalid("不能停用自己的账号", code="self_deactivation")
    if user.role == "system":  # never signs in: its row's CHECK keeps it inactive
        raise Invalid("系统账号不能登录，无需启用或停用", code="system_account")
    with transaction():
        user.active = active
        if not active:
            sessions.end_all(user, "deactivated")
    return user


def users(actor: User, search: str = "", limit: int = 200) -> list[User]:
    """The accounts an administrator manages, optionally those whose username has `search`."""
    _require_admin(actor)
    query = select(User).order_by(User.role, User.username).limit(limit)
    search = search.strip() if isinstance(search, str) else ""
    if search:
        query = query.where(User.username.contains(search[:64], autoescape=True))
    return list(db.session.scalars(query))
