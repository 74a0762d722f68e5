"""Interface language: Chinese by default, English on a switch kept in the session."""

from __future__ import annotations

from flask import redirect, request, session

from approvals.access.pages import safe_next
from approvals.i18n import DEFAULT, LANGUAGES
from approvals.web import bp


def select_locale() -> str:
    choice = session.get("lang")
    return choice if choice in LANGUAGES else DEFAULT


@bp.get("/lang/<code>")
def switch_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
