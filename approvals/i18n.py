"""Words in two languages: Chinese first, English second (Flask-Babel).

`N_` marks a Chinese string for the translation catalog where it is defined (a service's
message, a label in a table); pages pass it through gettext when they show it. `label`
picks the reader's language of a bilingual Label from the data (workflow files, fields).
"""

from __future__ import annotations

from flask_babel import get_locale

DEFAULT = "zh_Hans_CN"
LANGUAGES = {"zh_Hans_CN": "中文", "en": "English"}


def N_(text: str) -> str:  # noqa: N802 — the conventional name for "mark, do not translate"
    return text


def lang() -> str:
    """'zh' or 'en': the key of the bilingual labels in workflows and data."""
    return "en" if str(get_locale()).startswith("en") else "zh"


def label(bilingual) -> str:
    """A bilingual Label (zh, en) in the reader's language."""
    return getattr(bilingual, lang())


def dept_name(department) -> str:
    """A department's name in the reader's language (its Chinese name where it has no
    English one)."""
    if department is None:
        return ""
    return department.name_en or department.name if lang() == "en" else department.name
