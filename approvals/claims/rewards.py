"""The people a claim rewards (有功人员, clause 5 of the department/township track): named by
the claimant while the claim is editable, each paid in person in a payout batch.

A person is named with a 公民身份号码 (GB 11643-1999: 17 digits and a check character),
stored in full for the payment and shown masked on every screen, file and notice
(`mask_id_number`: 3301**********123X), to everyone. A list is changed under the claim's row
lock with its version bumped, as evidence is (approvals/claims/evidence.py), so that what a
submission checked is what stays listed. The approved amount (核定金额) covers the work fund
to the claimant and the rewards together: the rewards are what the claimant listed, and the
claimant's share is the rest (`claimant_share`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from approvals import limits
from approvals.access import can_edit
from approvals.claims import evidence
from approvals.claims.models import Claim, RewardRecipient
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.money import ZERO, amount_error
from approvals.organisations.payee import account_problems, normalise_account
from approvals.workflow.registry import engine_for
from approvals.workflow.runtime import stale_guard

NAME_MAX = 64
CONTRIBUTION_MAX = 200
FIELDS = ("name", "id_number", "amount", "bank_name", "bank_account", "contribution")
# GB 11643-1999: the weights of the first 17 digits, and the check character by sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
NOT_REWARDING = N_("该政策条款不奖励个人，无需填写有功人员名单")
SAME_PERSON = N_("该身份证号码已在本申报的有功人员名单中")


# The identity number -------------------------------------------------------------------


def id_check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def make_id_number(first17: str) -> str:
    """Complete 17 digits with their check character (demo data and tests)."""
    return first17 + id_check_character(first17)


def id_number_error(value, today: date) -> str | None:
    """A Chinese message saying what is wrong with a 公民身份号码, or None when it is valid:
    18 characters, a real date of birth not in the future, and the GB 11643 check."""
    text = value.strip().upper() if isinstance(value, str) else ""
    if len(text) != 18 or not (text[:17].isascii() and text[:17].isdigit()):
        return N_("身份证号码应为18位，前17位为数字")
    if text[17] not in "0123456789X":
        return N_("身份证号码第18位应为数字或 X")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return N_("身份证号码中的出生日期无效")
    if born.year < 1900 or born > today:
        return N_("身份证号码中的出生日期无效")
    expected = id_check_character(text[:17])
    if text[17] != expected:
        return f"身份证号码校验位错误（第18位应为 {expected}）"
    return None


def mask_id_number(number: str | None) -> str:
    """`330102198001011234` → `3301**********1234`: the first four and last four characters,
    everywhere the number is shown."""
    text = number or ""
    if len(text) < 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


# What a list adds up to ----------------------------------------------------------------


def rewards_total(claim: Claim) -> Decimal:
    return sum((r.amount for r in claim.reward_recipients), ZERO)


def claimant_share(claim: Claim, approved: Decimal) -> Decimal:
    """What of an approved amount goes to the claimant itself: the rest after the rewards."""
    return approved - rewards_total(claim)


def list_problem(claim: Claim) -> str | None:
    """Why the claim cannot be submitted with its list as it stands, or None."""
    if not claim.terms.rewards_people:
        return None
    if not claim.reward_recipients:
        return N_("请填写有功人员奖励名单（至少一人）")
    total, requested = rewards_total(claim), claim.requested_amount
    if requested is not None and total > requested:
        return f"有功人员奖励合计 {total:,.2f} 元超过申报金额 {requested:,.2f} 元"
    return None


def shown(recipient: RewardRecipient, reader=None) -> dict:
    """A recipient as every screen and the API show it: the identity number masked, for
    everyone; the account masked but for finance, who pays it."""
    from approvals.organisations.profile import shown_account

    return {
        "id": recipient.id,
        "name": recipient.name,
        "id_number": mask_id_number(recipient.id_number),
        "contribution": recipient.contribution,
        "amount": f"{recipient.amount:.2f}",
        "bank_name": recipient.bank_name,
        "bank_account": shown_account(reader, recipient.bank_account),
    }


# Validation ----------------------------------------------------------------------------


def _text(data: dict, name: str, errors: dict, *, required: bool, most: int) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = N_("应为文字")
        return ""
    text = value.strip()
    problem = limits.text_problem(text)
    if problem:
        errors[name] = problem
    elif required and not text:
        errors[name] = {"name": N_("请填写姓名")}.get(name, N_("请填写此项"))
    elif len(text) > most:
        errors[name] = f"不能超过{most}字"
    return text


def validate(claim: Claim, data, today: date) -> tuple[dict, dict]:
    """(clean values, errors by field) for one recipient of `claim`."""
    if not isinstance(data, dict):
        raise Invalid("请求体应为 JSON 对象", fields={"body": N_("应为 JSON 对象")})
    errors: dict[str, str] = {}
    values = {
        "name": _text(data, "name", errors, required=True, most=NAME_MAX),
        "contribution": _text(data, "contribution", errors, required=False, most=CONTRIBUTION_MAX),
    }
    raw_id = data.get("id_number")
    problem = id_number_error(raw_id, today)
    if problem:
        errors["id_number"] = problem
    else:
        values["id_number"] = raw_id.strip().upper()
    amount, problem = amount_error(data.get("amount"))
    if problem:
        errors["amount"] = problem
    elif amount > claim.terms.cap:
        errors["amount"] = f"奖励金额不能超过政策上限 {claim.terms.cap:,.2f} 元"
    values["amount"] = amount
    bank_name = data.get("bank_name") if isinstance(data.get("bank_name"), str) else ""
    account = data.get("bank_account") if isinstance(data.get("bank_account"), str) else ""
    # An account in the person's own name: the rule of any payee account, named for them.
    name = values["name"] or "—"
    for field, text in account_problems(bank_name, account, name, name).items():
        errors.setdefault(field, text)
    values["bank_name"], values["bank_account"] = bank_name.strip(), normalise_account(account)
    return values, errors


# Use cases -----------------------------------------------------------------------------


def require_editable(actor, claim: Claim) -> None:
    decision = can_edit(actor, claim)
    if not decision:
        raise Forbidden(decision.reason)
    if not engine_for(claim).spec.has_tag(claim.state, "editable"):
        raise Conflict("只有草稿或待补正的申报可以修改", code="not_editable")
    if not claim.terms.rewards_people:
        raise Conflict(NOT_REWARDING, code="no_rewards")


def add_recipient(actor, claim: Claim, data, today: date) -> RewardRecipient:
    """Name one more person the claim rewards."""
    require_editable(actor, claim)
    values, errors = validate(claim, data, today)
    if errors:
        raise Invalid("；".join(errors.values()), fields=errors)
    try:
        with stale_guard(), transaction():
            claim = evidence.locked_claim(claim.id)
            require_editable(actor, claim)  # re-checked under the lock: a submission may have won
            if any(r.id_number == values["id_number"] for r in claim.reward_recipients):
                raise Conflict(SAME_PERSON, code="duplicate_recipient")
            evidence.mark_changed(claim)
            recipient = RewardRecipient(claim_id=claim.id, **values)
            db.session.add(recipient)
    except IntegrityError as exc:  # the same person named twice at once
        raise Conflict(SAME_PERSON, code="duplicate_recipient") from exc
    return recipient


def remove_recipient(actor, claim: Claim, recipient_id) -> None:
    require_editable(actor, claim)
    wanted = limits.parse_id(recipient_id)
    with stale_guard(), transaction():
        claim = evidence.locked_claim(claim.id)
        require_editable(actor, claim)
        recipient = next((r for r in claim.reward_recipients if r.id == wanted), None)
        if recipient is None:
            raise NotFound("该人员不在本申报的有功人员名单中")
        evidence.mark_changed(claim)
        claim.reward_recipients.remove(recipient)
