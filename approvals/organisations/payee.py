"""The payee account (收款账户): masking for display and the rule that makes it payable.

Pure functions of plain values, with no database: the workflow's `payee_valid` guard,
the profile service and the batch composer all judge an account by the same rule.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from approvals.i18n import N_

ACCOUNT_DIGITS = (8, 30)
BANK_NAME_MAX = 128
NAME_MISMATCH = N_("账户名称须与企业名称一致")


def mask_account(number: str | None) -> str:
    """`6222020200001234` → `**** **** 1234`: only the last four digits are ever shown."""
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    if not digits:
        return ""
    return f"**** **** {digits[-4:]}"


def normalise_account(number: str | None) -> str:
    """What the user typed, without the spaces (ASCII or full-width) that group the digits."""
    return "".join((number or "").split())


def same_name(a: str | None, b: str | None) -> bool:
    """Names compared as a bank would read them: full- and half-width brackets and letters
    alike (（杭州） = (杭州)), spaces ignored."""

    def canonical(text: str | None) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").split())

    return bool(canonical(a)) and canonical(a) == canonical(b)


def account_problems(
    bank_name: str | None, bank_account: str | None, account_name: str | None, registered: str
) -> dict[str, str]:
    """What keeps this account from being paid, by field; empty when it is payable."""
    problems: dict[str, str] = {}
    if not (bank_name or "").strip():
        problems["bank_name"] = N_("请填写开户银行")
    elif len(bank_name.strip()) > BANK_NAME_MAX:
        problems["bank_name"] = f"开户银行不能超过{BANK_NAME_MAX}字"
    number = normalise_account(bank_account)
    low, high = ACCOUNT_DIGITS
    if not number:
        problems["bank_account"] = N_("请填写银行账号")
    elif not (number.isascii() and number.isdigit() and low <= len(number) <= high):
        problems["bank_account"] = f"银行账号应为{low}至{high}位数字"
    if not (account_name or "").strip():
        problems["account_name"] = N_("请填写账户名称")
    elif not same_name(account_name, registered):
        problems["account_name"] = NAME_MISMATCH
    return problems


def payout_refusal(problems: dict[str, str]) -> str:
    """One sentence for a refused payout, naming every problem of the account."""
    return "收款账户不完整或有误，不能拨付：" + "；".join(problems.values())


class Payee(NamedTuple):
    bank_name: str | None
    account: str | None
    account_name: str | None


def enterprise_payee(enterprise) -> Payee:
    """The account in the enterprise's profile now."""
    return Payee(enterprise.bank_name, enterprise.bank_account, enterprise.account_name)


def payee_of(claim) -> Payee:
    """The account a claim is paid to: the one frozen on it when it entered a batch, else
    the enterprise's profile as it stands (frozen at `disburse`)."""
    if claim.payee_account:
        return Payee(claim.payee_bank_name, claim.payee_account, claim.payee_account_name)
    return enterprise_payee(claim.enterprise)


def claim_payee_problems(claim) -> dict[str, str]:
    return account_problems(*payee_of(claim), claim.enterprise.name)


def frozen_payee_masked(claim) -> dict | None:
    """The account frozen on the claim, number masked, as audit snapshots record it."""
    if not claim.payee_account:
        return None
    return {
        "bank_name": claim.payee_bank_name,
        "account": mask_account(claim.payee_account),
        "account_name": claim.payee_account_name,
    }
