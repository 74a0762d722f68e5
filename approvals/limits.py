"""Input limits in one place: the text columns' lengths, id ranges, clean text.

The models declare their text columns with these lengths (`String(limits.USERNAME)`), and
forms (`Length(max=…)`), the API parser and the services all read the same names: a limit
that changes changes its column (and `flask db check` asks for the migration) and every
check with it. This module imports no feature, so that every feature may import it.
"""

from __future__ import annotations

import re

from approvals.i18n import N_


def column_length(model, name: str) -> int:
    """The declared length of a string column: what PostgreSQL refuses to exceed."""
    length = model.__table__.c[name].type.length
    if length is None:
        raise ValueError(f"{model.__tablename__}.{name} has no declared length")
    return length


USERNAME = 64  # users.username
DISPLAY_NAME = 64  # users.display_name
ENTERPRISE_NAME = 128  # enterprises.name
CREDIT_CODE = 18  # enterprises.credit_code: 统一社会信用代码, exactly 18 characters
POLICY_CODE = 32  # policies.code
PROJECT_TITLE = 200  # claims.project_title
PAYMENT_REFERENCE = 64  # claims.payment_reference
STATE = 32  # claims.state, claim_events.from_state and to_state
TRIGGER = 32  # claim_events.trigger
ATTACHMENT_KIND = 32  # attachments.kind
ATTACHMENT_FILENAME = 255  # attachments.filename
VERIFICATION_CODE = 32  # notices.verification_code

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
        return N_("不能包含空字符（NUL）")
    return N_("包含无效的字符（不成对的代理项）")


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
