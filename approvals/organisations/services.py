"""Use cases for accounts: create users and enterprises, sign-up, invitations, sign-in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from approvals import limits
from approvals.access.roles import POSITIONS, ROLES
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations import passwords
from approvals.organisations.credit_code import credit_code_error, normalise
from approvals.organisations.models import Department, Enterprise, User
from approvals.organisations.passwords import hash_password
from approvals.organisations.sessions import issue_token, user_for_token

__all__ = [
    "authenticate",
    "colleagues",
    "create_user",
    "hash_password",
    "invite_colleague",
    "issue_token",
    "register_enterprise",
    "user_for_token",
]

# Column lengths (approvals/limits.py): longer text is refused, never sent to the database.
USERNAME_MAX = limits.USERNAME
DISPLAY_NAME_MAX = limits.DISPLAY_NAME
ENTERPRISE_NAME_MAX = limits.ENTERPRISE_NAME

USERNAME_TAKEN = N_("用户名已被使用")
ENTERPRISE_EXISTS = N_("该企业已注册，请联系本企业已有用户邀请您加入")


def _text(value: object) -> str:
    """Form and JSON values as text: anything but a string counts as not given."""
    return value.strip() if isinstance(value, str) else ""


def _clean(value: str) -> bool:
    return limits.text_problem(value) is None


def authenticate(username: object, password: object) -> User | None:
    """The user these credentials prove, or None. Every attempt checks one hash of the
    configured method, whether the user exists, is inactive or not: the answer takes the
    same time either way."""
    name = _text(username)
    user = None
    if name and len(name) <= USERNAME_MAX and _clean(name):
        user = db.session.scalar(select(User).where(User.username == name))
    proved = passwords.verify(user.password_hash if user else None, password)
    if user is None or not proved or not user.active:
        return None
    if passwords.needs_rehash(user.password_hash):  # e.g. after PASSWORD_HASH_METHOD changed
        with transaction():
            user.password_hash = hash_password(password)
    return user


def get_or_create_enterprise(name: str, credit_code: str) -> Enterprise:
    """Find the enterprise by credit code or register it; the caller owns the transaction."""
    code = normalise(_text(credit_code))
    problem = credit_code_error(code)
    if problem:
        raise Invalid(problem, fields={"credit_code": problem})
    enterprise = db.session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if enterprise is None:
        name = _text(name)
        problem = _enterprise_name_problem(name)
        if problem:
            raise Invalid(problem, fields={"enterprise_name": problem})
        enterprise = Enterprise(name=name, credit_code=code)
        db.session.add(enterprise)
        db.session.flush()
    return enterprise


def _enterprise_name_problem(name: str) -> str | None:
    if not name:
        return N_("请填写企业名称")
    if len(name) > ENTERPRISE_NAME_MAX or not _clean(name):
        return f"企业名称最多{ENTERPRISE_NAME_MAX}个字"
    return None


def _username_problem(username: str) -> str | None:
    if not username:
        return N_("请填写用户名")
    if len(username) > USERNAME_MAX or not _clean(username):
        return f"用户名最多{USERNAME_MAX}个字符，且不含控制字符"
    return None


def _username_taken() -> Conflict:
    return Conflict(USERNAME_TAKEN, code="username_taken", fields={"username": USERNAME_TAKEN})


def _new_user(
    username: object,
    password: object,
    role: str,
    *,
    department_code: str | None = None,
    enterprise: Enterprise | None = None,
    display_name: object = "",
) -> User:
    fields = {}
    username, display_name = _text(username), _text(display_name)
    problem = _username_problem(username)
    if problem:
        fields["username"] = problem
    problem = passwords.password_problem(password, username)
    if problem:
        fields["password"] = problem
    if len(display_name) > DISPLAY_NAME_MAX or not _clean(display_name):
        fields["display_name"] = f"姓名最多{DISPLAY_NAME_MAX}个字"
    if role not in ROLES:
        fields["role"] = f"未知角色：{role}"
    elif role == "system":  # the one system account is created by the system itself
        fields["role"] = "系统账号不能手工开设"
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
    # Taken is a conflict (409), as when a concurrent sign-up wins the race (_duplicate).
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise _username_taken()
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        department=department,
        enterprise=enterprise if role == "enterprise" else None,
        display_name=(display_name or username)[:DISPLAY_NAME_MAX],
    )
    db.session.add(user)
    db.session.flush()
    return user


def _duplicate(exc: IntegrityError) -> Conflict | None:
    """The Conflict a unique-constraint race means: someone registered the same username or
    credit code between our check and our insert (both databases name the column)."""
    text = str(exc.orig)
    if "unique" not in text.lower():
        return None
    if "username" in text:
        return _username_taken()
    if "credit_code" in text:
        return Conflict(ENTERPRISE_EXISTS, code="enterprise_exists")
    return None


def _creating_accounts(create):
    """Run `create` in one transaction; a lost race on a unique column is a 409, not a 500."""
    try:
        with transaction():
            return create()
    except IntegrityError as exc:
        conflict = _duplicate(exc)
        if conflict is None:
            raise
        raise conflict from exc


def create_user(
    username: str,
    password: str,
    role: str,
    *,
    department_code: str | None = None,
    enterprise_name: str | None = None,
    credit_code: str | None = None,
    display_name: str = "",
    position: str | None = None,
) -> User:
    """One account; an official may be given a position in the sign-off chain (经办人,
    科室负责人, 分管领导: access/roles.py POSITIONS)."""
    _check_position(role, position)

    def create():
        enterprise = None
        if role == "enterprise" and credit_code:
            enterprise = get_or_create_enterprise(enterprise_name or "", credit_code)
        user = _new_user(
            username,
            password,
            role,
            department_code=department_code,
            enterprise=enterprise,
            display_name=display_name,
        )
        user.position = position
        return user

    return _creating_accounts(create)


# The roles whose accounts belong to a department and sign its decisions.
OFFICIAL_ROLES = ("reviewer", "finance", "government")


def _check_position(role: str, position: str | None) -> None:
    if position is None:
        return
    if position not in POSITIONS:
        raise Invalid(
            f"未知职务：{position}（可选 {'、'.join(POSITIONS)}）", fields={"position": "未知职务"}
        )
    if role not in OFFICIAL_ROLES:
        raise Invalid(
            "只有部门工作人员有签批职务", fields={"position": "只有部门工作人员有签批职务"}
        )


def set_position(username: str, position: str | None) -> User:
    """Give an official their place in the sign-off chain, or take it away (None)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"没有用户 {username}")
    _check_position(user.role, position)
    with transaction():
        user.position = position
    return user


def register_enterprise(
    enterprise_name: object,
    credit_code: object,
    username: object,
    password: object,
    display_name: object = "",
) -> User:
    """Sign-up: a new enterprise and its first user (their own name, else the company's).
    An enterprise already registered is refused, so nobody can join a company by knowing
    its public credit code."""
    code = normalise(_text(credit_code))
    fields = {}
    problem = credit_code_error(code)
    if problem:
        fields["credit_code"] = problem
    problem = _enterprise_name_problem(_text(enterprise_name))
    if problem:
        fields["enterprise_name"] = problem
    if fields:
        raise Invalid("；".join(fields.values()), fields=fields)
    if db.session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code)):
        raise Conflict(ENTERPRISE_EXISTS, code="enterprise_exists")

    def create():
        enterprise = get_or_create_enterprise(_text(enterprise_name), code)
        return _new_user(
            username,
            password,
            "enterprise",
            enterprise=enterprise,
            # users.display_name is shorter than enterprises.name: without a name of
            # their own the first user's is the company's, cut to fit.
            display_name=_text(display_name) or enterprise.name[:DISPLAY_NAME_MAX],
        )

    return _creating_accounts(create)


def invite_colleague(actor: User, username: str, password: str, display_name: str = "") -> User:
    """An enterprise user opens an account for a colleague of the same enterprise."""
    if actor.role != "enterprise" or actor.enterprise is None:
        raise Forbidden("只有企业用户可以邀请本企业同事")
    return _creating_accounts(
        lambda: _new_user(
            username, password, "enterprise", enterprise=actor.enterprise, display_name=display_name
        )
    )


def colleagues(actor: User) -> list[User]:
    if actor.role != "enterprise":
        return []
    query = select(User).where(User.enterprise_id == actor.enterprise_id).order_by(User.id)
    return list(db.session.scalars(query))
