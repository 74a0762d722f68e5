"""Input limits in one place: text lengths read from the model columns, id ranges, clean text.

Forms (`Length(max=…)`), the API parser and the services all read these names, so a
column that grows or shrinks in a migration moves every limit with it.
"""

from __future__ import annotations

import re

from approvals.claims.models import Attachment, Claim, ClaimEvent
from approvals.notices.models import Notice
from approvals.organisations.models import Enterprise, User
from approvals.policies.models import Policy


def column_length(model, name: str) -> int:
    """The declared length of a string column: what PostgreSQL refuses to exceed."""
    length = model.__table__.c[name].type.length
    if length is None:
        raise ValueError(f"{model.__tablename__}.{name} has no declared length")
    return length


USERNAME = column_length(User, "username")
DISPLAY_NAME = column_length(User, "display_name")
ENTERPRISE_NAME = column_length(Enterprise, "name")
CREDIT_CODE = column_length(Enterprise, "credit_code")
POLICY_CODE = column_length(Policy, "code")
PROJECT_TITLE = column_length(Claim, "project_title")
PAYMENT_REFERENCE = column_length(Claim, "payment_reference")
STATE = column_length(Claim, "state")
TRIGGER = column_length(ClaimEvent, "trigger")
ATTACHMENT_KIND = column_length(Attachment, "kind")
ATTACHMENT_FILENAME = column_length(Attachment, "filename")
VERIFICATION_CODE = column_length(Notice, "verification_code")

# Limits of our own where the column is TEXT or stores a hash.
COMMENT = 2000  # an opinion on a decision (claim_events.comment is TEXT)
PASSWORD = 128  # ASVS 2.1.2: any characters, up to 128
NOTE = 2000  # a batch's note (TEXT)

# Ids are INTEGER columns: 32 bits on PostgreSQL. A larger number names nothing.
ID_MAX = 2**31 - 1
YEAR_MIN, YEAR_MAX = 2000, 2999

_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")
# Text no database stores: NUL (PostgreSQL refuses it in TEXT) and lone surrogates (not
# encodable as UTF-8). A Python str only holds a surrogate when it was not paired.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """A Chinese message when `value` holds characters no column can store, else None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "不能包含空字符（NUL）"
    return "包含无效的字符（不成对的代理项）"


def parse_id(text) -> int | None:
    """An id typed or posted as text: ASCII digits within the column's range, else None.

    `str.isdigit()` is no test here: it accepts "²" and "٣", which `int()` then refuses.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text if 1 <= text <= ID_MAX else None
    if not isinstance(text, str) or not _ASCII_DIGITS.fullmatch(text.strip()):
        return None
    value = int(text.strip())
    return value if 1 <= value <= ID_MAX else None
