"""进度查询 without signing in, throttled as sign-in is (approvals/organisations/throttle.py):
failed look-ups counted per address and per claim number."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from approvals.errors import NotFound
from approvals.extensions import limiter
from approvals.organisations.throttle import address
from approvals.progress import bp, lookup
from approvals.progress.forms import ProgressForm

TOO_MANY = _l("查询失败次数过多。")


def _number() -> str:
    number = (request.form.get("number") or "").strip().upper()[:32]
    return f"claim-number:{number}" if number else ""


def _failed(response) -> bool:
    return response.status_code >= 400


def _throttled(view):
    for scope, key in (("progress:address", address), ("progress:number", _number)):
        view = limiter.shared_limit(
            lambda: current_app.config["PROGRESS_RATE_LIMIT"],
            scope=scope,
            key_func=key,
            methods=["POST"],
            deduct_when=_failed,
            error_message=lambda: str(TOO_MANY),
        )(view)
    return view


@bp.route("", methods=["GET", "POST"])
@_throttled
def check():
    form = ProgressForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("progress/check.html", form=form, progress=None), status
    try:
        progress = lookup.find(form.number.data, form.credit_code.data)
    except NotFound as exc:
        page = render_template("progress/check.html", form=form, progress=None, miss=_(str(exc)))
        return page, 404
    return render_template(
        "progress/check.html", form=ProgressForm(formdata=None), progress=progress
    )
