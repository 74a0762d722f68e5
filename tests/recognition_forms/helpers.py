"""Sending a department's 申请认定表 in a test: what moves an approved claim on to finance.

Through the real services, signed by the department's chain (the demo's reviewer_<code> as
case officer, chief_<code>, leader_<code>), so the claims move through the runtime like any
other; `now` (aware) dates every step, for the deadline report.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.recognition_forms import services


def chain(department_id: int) -> tuple[User, User, User]:
    """The department's case officer, section chief and leader."""

    def one(position: str) -> User:
        user = db.session.scalar(
            select(User)
            .filter_by(role="reviewer", department_id=department_id, position=position)
            .order_by(User.id)
        )
        assert user is not None, f"no {position} in department {department_id}"
        return user

    return one("case_officer"), one("section_chief"), one("leader")


def send_form(app, *claim_ids: int | str, now: datetime | None = None) -> list[int]:
    """Prepare, check and send the form of each (department, call year) of the claims (by id,
    or by number), each
    listing those claims and the department's other claims of that year awaiting a form;
    returns the forms' ids."""
    app = getattr(app, "_get_current_object", lambda: app)()  # `current_app` will do too
    if has_app_context() and current_app._get_current_object() is app:
        return _send(claim_ids, now)  # within the caller's context and session
    with app.app_context():
        return _send(claim_ids, now)


def _send(claim_ids, now) -> list[int]:
    claims = [
        db.session.scalar(select(Claim).filter_by(number=ref))
        if isinstance(ref, str)
        else db.session.get(Claim, ref)
        for ref in claim_ids
    ]
    groups = sorted({(c.department_id, c.policy.call_year) for c in claims})
    sent = []
    for department_id, year in groups:
        officer, chief, leader = chain(department_id)
        form = services.prepare(officer, year, now=now)
        form = services.check(chief, form.id, version=form.version, now=now)
        form = services.send(leader, form.id, version=form.version, now=now)
        sent.append(form.id)
    return sent
