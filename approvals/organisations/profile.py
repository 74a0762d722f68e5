"""The enterprise profile (企业信息) and its payee account: edit, log, judge, freeze.

An enterprise keeps its legal representative, contact person and its payee account here.
Every change of the account is logged (numbers masked). The account a claim is paid to is
frozen on the claim (and its batch item) when it enters a batch or is disbursed, so that a
later change of the profile never alters a payment already composed or made.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from approvals.db import transaction
from approvals.errors import Forbidden, Invalid
from approvals.extensions import db
from approvals.i18n import N_
from approvals.organisations.models import Enterprise, PayeeAccountChange, User
from approvals.organisations.payee import (
    Payee,
    account_problems,
    claim_payee_problems,
    enterprise_payee,
    mask_account,
    normalise_account,
    payee_of,
    payout_refusal,
)
from approvals.workflow.registry import workflows

CONTACT_FIELDS = ("legal_representative", "contact_name", "contact_phone", "contact_email")
ACCOUNT_FIELDS = ("bank_name", "bank_account", "account_name")
PROFILE_FIELDS = CONTACT_FIELDS + ACCOUNT_FIELDS
NAME_MAX = 64
EMAIL_MAX = 254
# A mainland mobile number: 11 digits starting with 1.
MOBILE = re.compile(r"1\d{10}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
REQUIRED = {
    "legal_representative": N_("请填写法定代表人"),
    "contact_name": N_("请填写联系人"),
    "contact_phone": N_("请填写联系人手机号码"),
    "contact_email": N_("请填写电子邮箱"),
}
# Who reads a payee account in full: finance, who pays it. Everyone else sees it masked.
FULL_ACCOUNT_ROLES = ("finance",)
# The guard that stands before payout in the workflow files.
PAYEE_GUARD = "payee_valid"


def own_enterprise(actor: User) -> Enterprise:
    if actor.role != "enterprise" or actor.enterprise is None:
        raise Forbidden("只有企业用户可以维护企业信息")
    return actor.enterprise


def profile_values(enterprise: Enterprise) -> dict[str, str]:
    return {name: getattr(enterprise, name) or "" for name in PROFILE_FIELDS}


# Validation ------------------------------------------------------------------------------


def _text(data: dict, name: str, current: str, errors: dict) -> str:
    """The field as sent (absent: the stored value), stripped; not text: an error."""
    value = data.get(name, current)
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = N_("应为文本")
        return ""
    return value.strip()


def _contact(values: dict, errors: dict) -> None:
    for name, message in REQUIRED.items():
        if name not in errors and not values[name]:
            errors[name] = message
    for name in ("legal_representative", "contact_name"):
        if len(values[name]) > NAME_MAX:
            errors.setdefault(name, f"不能超过{NAME_MAX}字")
    phone = re.sub(r"[\s-]", "", values["contact_phone"])
    values["contact_phone"] = phone
    if phone and not MOBILE.fullmatch(phone):
        errors.setdefault("contact_phone", N_("请填写11位手机号码（以1开头）"))
    email = values["contact_email"]
    if email and (len(email) > EMAIL_MAX or not EMAIL.fullmatch(email)):
        errors.setdefault("contact_email", N_("电子邮箱格式不正确"))


def _account(values: dict, registered: str, errors: dict) -> None:
    values["bank_account"] = normalise_account(values["bank_account"])
    if not any(values[name] for name in ACCOUNT_FIELDS):
        return  # no account yet: allowed, but nothing can be paid to it
    for name, message in account_problems(*(values[n] for n in ACCOUNT_FIELDS), registered).items():
        errors.setdefault(name, message)


def validate_profile(enterprise: Enterprise, data: dict) -> tuple[dict, dict]:
    """(clean values, errors by field). Fields left out keep their stored value."""
    errors: dict[str, str] = {}
    current = profile_values(enterprise)
    values = {name: _text(data, name, current[name], errors) for name in PROFILE_FIELDS}
    _contact(values, errors)
    _account(values, enterprise.name, errors)
    return values, errors


# The use case ----------------------------------------------------------------------------


def update_profile(actor: User, data: dict) -> Enterprise:
    """Save the profile; a changed payee account is logged with who, when, old and new."""
    if not isinstance(data, dict):
        raise Invalid("请求体应为 JSON 对象", fields={"body": N_("应为 JSON 对象")})
    enterprise_id = own_enterprise(actor).id
    with transaction():
        # Locked, so that two colleagues saving at once log each change against the right
        # "old" account.
        enterprise = db.session.scalar(
            select(Enterprise)
            .where(Enterprise.id == enterprise_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        values, errors = validate_profile(enterprise, data)
        if errors:
            raise Invalid("；".join(errors.values()), fields=errors)
        old = enterprise_payee(enterprise)
        for name in CONTACT_FIELDS:
            setattr(enterprise, name, values[name])
        for name in ACCOUNT_FIELDS:
            setattr(enterprise, name, values[name] or None)
        new = enterprise_payee(enterprise)
        if old != new:
            db.session.add(_change(enterprise, actor, old, new))
    return enterprise


def _change(enterprise: Enterprise, actor: User, old: Payee, new: Payee) -> PayeeAccountChange:
    return PayeeAccountChange(
        enterprise_id=enterprise.id,
        changed_by_id=actor.id,
        old_bank_name=old.bank_name,
        old_account_masked=mask_account(old.account) or None,
        old_account_name=old.account_name,
        new_bank_name=new.bank_name,
        new_account_masked=mask_account(new.account) or None,
        new_account_name=new.account_name,
    )


def account_changes(enterprise_id: int) -> list[PayeeAccountChange]:
    """The enterprise's payee account changes, newest first."""
    query = (
        select(PayeeAccountChange)
        .where(PayeeAccountChange.enterprise_id == enterprise_id)
        .order_by(PayeeAccountChange.id.desc())
    )
    return list(db.session.scalars(query))


# Payability and freezing -----------------------------------------------------------------


def payee_problems(enterprise: Enterprise) -> dict[str, str]:
    return account_problems(*enterprise_payee(enterprise), enterprise.name)


def payee_problem(enterprise: Enterprise) -> str | None:
    """Why nothing can be paid to this enterprise now, or None when its account is valid."""
    problems = payee_problems(enterprise)
    return payout_refusal(problems) if problems else None


def claim_payee_problem(claim) -> str | None:
    """Why this claim cannot be paid: its frozen account, or else the live profile."""
    problems = claim_payee_problems(claim)
    return payout_refusal(problems) if problems else None


def freeze_payee(claim) -> Payee:
    """Copy the enterprise's account onto the claim: from now on it is paid to that one."""
    payee = enterprise_payee(claim.enterprise)
    claim.payee_bank_name, claim.payee_account, claim.payee_account_name = payee
    return payee


def freeze_payee_at_payout(claim) -> None:
    """At `disburse`: a claim in a batch keeps the account frozen when it entered the batch;
    a claim paid directly is frozen now."""
    if not claim.payee_account:
        freeze_payee(claim)


def unfreeze_payee(claim) -> None:
    """A claim taken out of a draft batch is paid, later, to the account of that day."""
    claim.payee_bank_name = claim.payee_account = claim.payee_account_name = None


# What people see -------------------------------------------------------------------------


def shown_account(actor: User, number: str | None) -> str:
    """The number in full for finance, who pays it; masked for everyone else."""
    if actor is not None and getattr(actor, "role", None) in FULL_ACCOUNT_ROLES:
        return normalise_account(number)
    return mask_account(number)


def _payable_from(workflow: str) -> set[str]:
    """The states from which a payout (the transition the payee guard stands before) can
    still be reached: read from the workflow file, a few dozen transitions at most."""
    spec = workflows().get(workflow).spec
    reach = {s for t in spec.transitions if PAYEE_GUARD in t.conditions for s in t.sources}
    grew = True
    while grew:
        before = len(reach)
        reach |= {s for t in spec.transitions if t.dest in reach for s in t.sources}
        grew = len(reach) > before
    return reach


def awaits_payee(claim) -> bool:
    """The enterprise must complete its account: the claim may still be paid, nothing is
    frozen for it yet, and the profile's account is missing or invalid."""
    if claim.payee_account:
        return False
    if claim.state not in _payable_from(claim.workflow):
        return False
    return bool(payee_problems(claim.enterprise))


# Who reads the history of an enterprise's payee account on the claim page.
CHANGE_LOG_ROLES = ("finance", "admin")


def payee_facts(actor: User, claim) -> dict:
    """The account a claim is (or will be) paid to, number shown for this actor: frozen, or
    the profile's as it stands, with what is wrong with it while it is not frozen."""
    payee = payee_of(claim)
    return {
        "bank_name": payee.bank_name,
        "account": shown_account(actor, payee.account),
        "account_name": payee.account_name,
        "frozen": bool(claim.payee_account),
        "problem": None if claim.payee_account else claim_payee_problem(claim),
    }


def payee_view(actor: User, claim) -> dict:
    """The claim page's payee panel: the facts, the enterprise's reminder, and the account's
    history for finance and admin."""
    return {
        **payee_facts(actor, claim),
        "remind": actor.role == "enterprise" and awaits_payee(claim),
        "changes": account_changes(claim.enterprise_id) if actor.role in CHANGE_LOG_ROLES else None,
    }
