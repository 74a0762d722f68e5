"""Password rules (ASVS 2.1), hashing, and a check that costs the same whether a user exists.

Rules: 12 to 128 characters of any kind (spaces and any script allowed, no composition
rules), not the username, not one character repeated, not one of the 10,000 most common
passwords shipped in `common_passwords.txt` (see scripts/common_passwords.py). Passwords
are NFKC-normalised before they are checked or hashed, so that the same password typed
on another keyboard or input method (full-width digits, composed accents) still matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from approvals import limits
from approvals.i18n import N_

MIN_LENGTH = 12
MAX_LENGTH = limits.PASSWORD
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from JSON such as "\ud800"
        return False
    return True


def password_problem(password: object, username: str = "") -> str | None:
    """A Chinese message saying why this password may not be set, or None when it may."""
    if not isinstance(password, str) or not password:
        return N_("请填写密码")
    if not _encodable(password) or "\x00" in password:
        return N_("密码含有无法识别的字符")
    password = normalise(password)
    # ASVS 2.1.1: the length counts after runs of spaces are combined.
    if len(re.sub(" {2,}", " ", password)) < MIN_LENGTH:
        return f"密码至少{MIN_LENGTH}个字符"
    if len(password) > MAX_LENGTH:
        return f"密码最多{MAX_LENGTH}个字符"
    if len(set(password)) == 1:
        return N_("密码不能由同一个字符重复组成")
    folded = password.casefold()
    if username and folded.strip() == normalise(username).casefold().strip():
        return N_("密码不能与用户名相同")
    if folded in common_passwords() or folded.strip() in common_passwords():
        return N_("该密码过于常见，容易被猜中，请换一个")
    return None


def hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


def hash_password(password: str) -> str:
    return generate_password_hash(normalise(password), method=hash_method())


@cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash("a password nobody has", method=method)


def verify(password_hash: str | None, password: object) -> bool:
    """Check a password against a hash, or against a dummy hash of the same method and
    parameters when there is no user (None) or the account has no password (a system
    account's unusable hash): an unknown username costs the same work as a known one, so
    timing does not tell which usernames exist."""
    if not isinstance(password, str) or not _encodable(password):
        password = ""
    candidate = normalise(password)
    if password_hash is None or password_hash.count("$") < 2:  # no user, or no password
        check_password_hash(_dummy_hash(hash_method()), candidate)
        return False
    return check_password_hash(password_hash, candidate)


def needs_rehash(password_hash: str) -> bool:
    """A hash made with other parameters than today's (e.g. before a change of method):
    `scrypt` is stored as `scrypt:32768:8:1$salt$hash`, so compare with a fresh hash's."""
    return password_hash.split("$", 1)[0] != _dummy_hash(hash_method()).split("$", 1)[0]
