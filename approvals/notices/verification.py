"""Verifying a notice: find it by its code, and compare an uploaded PDF with the original."""

from __future__ import annotations

import hashlib
import re

from flask import current_app
from sqlalchemy import select

from approvals.errors import NotFound
from approvals.extensions import db
from approvals.i18n import N_
from approvals.notices.models import Notice

_CODE = re.compile(r"[^0-9A-Z]")


def normalise_code(code: str) -> str:
    """Accept the code as people type it: any case, with or without dashes or spaces."""
    raw = _CODE.sub("", (code or "").upper())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def find_by_code(code: str) -> Notice:
    notice = db.session.scalar(
        select(Notice).where(Notice.verification_code == normalise_code(code))
    )
    if notice is None:
        raise NotFound(N_("未找到该验证码对应的通知书，请核对验证码"))
    return notice


RECORD_CHECKS = "approvals.notice_record_checks"


def record_holds(notice: Notice) -> bool:
    """The notice's record is intact: its stored PDF, its link and its claim's whole hash
    chain, as the audit feature checks them (it registers `notice_breaks`, see
    approvals/audit/__init__.py). Without a check no file is ever called genuine."""
    checks = current_app.extensions.get(RECORD_CHECKS, [])
    return bool(checks) and not any(breaks(notice) for breaks in checks)


def is_pdf(data: bytes) -> bool:
    """A PDF by its content (its first bytes), whatever the file is called."""
    return data[:1024].lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-")


def matches(notice: Notice, data: bytes) -> bool:
    """True only when `data` is byte for byte the PDF that was issued, and the record that
    vouches for it holds."""
    return hashlib.sha256(data).hexdigest() == notice.sha256 and record_holds(notice)
