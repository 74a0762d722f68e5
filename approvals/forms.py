"""What every feature's web forms share: showing a domain error on the form it belongs to."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _

from approvals.errors import DomainError


def with_errors(form, exc: DomainError):
    """Show a domain error's field messages on the form; the rest as flashes."""
    shown = False
    for name, message in exc.fields.items():
        if name in form and name not in ("csrf_token", "version", "trigger"):
            form[name].errors = [*form[name].errors, _(message)]
            shown = True
        else:
            flash(_(message), "error")
            shown = True
    if not shown:
        flash(_(exc.message), "error")
    return form
