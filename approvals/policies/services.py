"""The administrator's use cases on clauses: list, create, edit. Each call is one
transaction; a change to the terms makes a new version (approvals/policies/versions.py)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations.models import Department
from approvals.policies import terms_input, versions
from approvals.policies.models import Policy

CODE_TAKEN = N_("已有该编号的政策条款")
YEAR_FIXED = N_("已有申报的条款不能改申报年度：预算按条款和年度安排，另一年度的申报请新建条款")


def _require_admin(actor) -> None:
    if actor.role != "admin":
        raise Forbidden(N_("只有系统管理员可以管理政策条款"))


def listed(actor) -> list[Policy]:
    _require_admin(actor)
    return list(db.session.scalars(select(Policy).order_by(Policy.code)))


def get(actor, code: str, *, for_update: bool = False) -> Policy:
    _require_admin(actor)
    query = select(Policy).where(Policy.code == code)
    if for_update:
        # Two administrators editing at once write versions one after the other, the
        # second reading the first's (a stale `version` is then refused, not overwritten).
        query = query.with_for_update().execution_options(populate_existing=True)
    policy = db.session.scalar(query)
    if policy is None:
        raise NotFound(N_("政策条款不存在"))
    return policy


def _refuse(errors: dict) -> None:
    if errors:
        raise Invalid("；".join(f"{k}：{v}" for k, v in errors.items()), fields=errors)


def _window(policy_or_values, errors: dict) -> None:
    opened, closed = policy_or_values["window_open"], policy_or_values["window_close"]
    if opened and closed and closed < opened:
        errors["window_close"] = N_("申报截止日期不能早于开始日期")


def _apply(policy: Policy, values: dict) -> None:
    for name, value in values.items():
        if name == "department":
            policy.department = db.session.scalar(select(Department).filter_by(code=value))
        else:
            setattr(policy, name, value)


def create(actor, values: dict) -> Policy:
    """A new clause from the administrator's values; version 1 of its terms."""
    _require_admin(actor)
    clean, errors = terms_input.clean(values, creating=True)
    if "code" in clean and db.session.scalar(select(Policy.id).filter_by(code=clean["code"])):
        errors["code"] = CODE_TAKEN
    if not errors:
        _window(clean, errors)
    _refuse(errors)
    try:
        with transaction():
            policy = Policy()
            _apply(policy, clean)
            policy.edited_by = actor  # the author of version 1 (versions.py)
            db.session.add(policy)
            db.session.flush()
            vars(policy).pop("edited_by", None)
    except IntegrityError as exc:  # the same code, created at the same moment
        raise Invalid(CODE_TAKEN, fields={"code": CODE_TAKEN}) from exc
    return policy


def edit(actor, code: str, changes: dict, version: int | None = None) -> Policy:
    """Change a clause's terms: new claims are filed under the new version; those filed
    before keep theirs. Nothing changed, no new version."""
    _require_admin(actor)
    with transaction():
        policy = get(actor, code, for_update=True)
        if version is not None and version != policy.version:
            raise Conflict(N_("该条款已被他人修改，请刷新后重试"), code="stale_version")
        clean, errors = terms_input.clean(changes, creating=False)
        if clean.get("code", code) != code:
            errors["code"] = N_("条款编号不能修改")
        clean.pop("code", None)
        if (
            "call_year" in clean
            and clean["call_year"] != policy.call_year
            and versions.claims_filed(policy)
        ):
            errors["call_year"] = YEAR_FIXED
        if not errors:
            _window({**versions.terms_of(policy), **clean}, errors)
        _refuse(errors)
        _apply(policy, clean)
        policy.edited_by = actor
        db.session.flush()
        vars(policy).pop("edited_by", None)  # nothing changed: no version took it
    return policy
