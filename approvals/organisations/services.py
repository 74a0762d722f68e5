"""Use cases for accounts: create users and enterprises, check passwords, API tokens."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from approvals.db import transaction
from approvals.errors import Invalid, Unauthorized
from approvals.extensions import db
from approvals.organisations.credit_code import credit_code_error, normalise
from approvals.organisations.models import ROLES, Department, Enterprise, User

# A constant hash to compare against when the user does not exist, so that the time taken
# does not reveal which usernames exist.
_DUMMY_HASH = generate_password_hash("not-a-password", method="pbkdf2:sha256:1000")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def authenticate(username: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not user.active or not check_password_hash(user.password_hash, password or ""):
        return None
    return user


def get_or_create_enterprise(name: str, credit_code: str) -> Enterprise:
    """Find the enterprise by credit code or register it; the caller owns the transaction."""
    code = normalise(credit_code)
    problem = credit_code_error(code)
    if problem:
        raise Invalid(problem, fields={"credit_code": problem})
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if enterprise is None:
        if not (name or "").strip():
            raise Invalid("请填写企业名称", fields={"enterprise_name": "请填写企业名称"})
        enterprise = Enterprise(name=name.strip(), credit_code=code)
        db.session.add(enterprise)
        db.session.flush()
    return enterprise


def _new_user(
    username: str,
    password: str,
    role: str,
    *,
    department_code: str | None = None,
    enterprise: Enterprise | None = None,
    display_name: str = "",
) -> User:
    fields = {}
    username = (username or "").strip()
    if not username:
        fields["username"] = "请填写用户名"
    elif db.session.scalar(select(User.id).where(User.username == username)):
        fields["username"] = "用户名已被使用"
    if len(password or "") < 8:
        fields["password"] = "密码至少8位"
    if role not in ROLES:
        fields["role"] = f"未知角色：{role}"
    department = None
    if department_code:
        department = db.session.scalar(select(Department).where(Department.code == department_code))
        if department is None:
            fields["department"] = f"未知部门：{department_code}"
    elif role in ("reviewer", "finance", "government"):
        fields["department"] = "该角色须指定所属部门"
    if role == "enterprise" and enterprise is None:
        fields["enterprise"] = "企业用户须指定所属企业"
    if fields:
        raise Invalid("；".join(fields.values()), fields=fields)
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        department=department,
        enterprise=enterprise if role == "enterprise" else None,
        display_name=display_name or username,
    )
    db.session.add(user)
    db.session.flush()
    return user


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    department_code: str | None = None,
    enterprise_name: str | None = None,
    credit_code: str | None = None,
    display_name: str = "",
) -> User:
    with transaction():
        enterprise = None
        if role == "enterprise" and credit_code:
            enterprise = get_or_create_enterprise(enterprise_name or "", credit_code)
        return _new_user(
            username,
            password,
            role,
            department_code=department_code,
            enterprise=enterprise,
            display_name=display_name,
        )


# API tokens are signed, expiring and bound to the password hash: changing the password
# revokes every token issued before.


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="api-token")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def issue_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "fp": _fingerprint(user)})


def user_for_token(token: str) -> User:
    try:
        data = _serializer().loads(token, max_age=current_app.config["API_TOKEN_MAX_AGE"])
    except SignatureExpired as exc:
        raise Unauthorized("令牌已过期，请重新登录", code="token_expired") from exc
    except BadSignature as exc:
        raise Unauthorized("令牌无效", code="invalid_token") from exc
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        raise Unauthorized("令牌无效", code="invalid_token")
    return user


def register_enterprise(enterprise_name: str, credit_code: str, username: str, password: str):
    """Sign-up: a new enterprise and its first user. An enterprise already registered is
    refused, so nobody can join a company by knowing its public credit code."""
    from approvals.errors import Conflict

    code = normalise(credit_code)
    fields = {}
    problem = credit_code_error(code)
    if problem:
        fields["credit_code"] = problem
    if not (enterprise_name or "").strip():
        fields["enterprise_name"] = "请填写企业名称"
    if fields:
        raise Invalid("；".join(fields.values()), fields=fields)
    if db.session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code)):
        raise Conflict("该企业已注册，请联系本企业已有用户邀请您加入", code="enterprise_exists")
    with transaction():
        enterprise = get_or_create_enterprise(enterprise_name, code)
        return _new_user(
            username, password, "enterprise", enterprise=enterprise, display_name=enterprise.name
        )


def invite_colleague(actor: User, username: str, password: str, display_name: str = "") -> User:
    """An enterprise user opens an account for a colleague of the same enterprise."""
    from approvals.errors import Forbidden

    if actor.role != "enterprise" or actor.enterprise is None:
        raise Forbidden("只有企业用户可以邀请本企业同事")
    with transaction():
        return _new_user(
            username, password, "enterprise", enterprise=actor.enterprise, display_name=display_name
        )


def colleagues(actor: User) -> list[User]:
    if actor.role != "enterprise":
        return []
    query = select(User).where(User.enterprise_id == actor.enterprise_id).order_by(User.id)
    return list(db.session.scalars(query))
