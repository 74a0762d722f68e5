"""Interface language: Chinese by default, English on a switch kept in the session."""

from __future__ import annotations

from flask import redirect, request, session
from flask_babel import get_locale

from approvals.web import bp
from approvals.web.access import safe_next

DEFAULT = "zh_Hans_CN"
LANGUAGES = {"zh_Hans_CN": "中文", "en": "English"}


def select_locale() -> str:
    choice = session.get("lang")
    return choice if choice in LANGUAGES else DEFAULT


def lang() -> str:
    """'zh' or 'en': the key of the bilingual labels in workflows and data."""
    return "en" if str(get_locale()).startswith("en") else "zh"


@bp.get("/lang/<code>")
def switch_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
