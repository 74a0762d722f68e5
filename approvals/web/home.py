"""The landing page, each role's way home, and the administrator's overview."""

from __future__ import annotations

from flask import redirect, render_template
from flask_login import current_user
from sqlalchemy import func, select

from approvals.access.pages import home_url, roles_required
from approvals.claims.queries import programme_counts
from approvals.clock import local_today
from approvals.extensions import db
from approvals.organisations.models import Enterprise, User
from approvals.policies.models import Policy
from approvals.web import bp


@bp.get("/")
def index():
    """Signed in: one's own home. Otherwise the open policies and the way in."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    today = local_today()  # the city's date, not the server's
    query = select(Policy).where(Policy.window_close >= today).order_by(Policy.window_close)
    return render_template("index.html", policies=db.session.scalars(query).all())


@bp.get("/overview")
@roles_required("admin")
def overview():
    totals = {
        "enterprises": db.session.scalar(select(func.count()).select_from(Enterprise)),
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "policies": db.session.scalar(select(func.count()).select_from(Policy)),
    }
    return render_template("admin/overview.html", rows=programme_counts(), totals=totals)
