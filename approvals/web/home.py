"""The landing page, each role's way home, and the administrator's overview."""

from __future__ import annotations

from flask import redirect, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from approvals.access.pages import home_url, roles_required
from approvals.claims.queries import programme_counts
from approvals.extensions import db
from approvals.guides.routes import listing_context
from approvals.organisations.models import Enterprise, User
from approvals.policies.models import Policy
from approvals.web import bp


@bp.get("/")
def index():
    """Signed in: one's own home. Otherwise the open policies and the way in."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    # The clauses still open to claims, searchable (approvals/guides/listing.py).
    return render_template("index.html", **listing_context(request.args))


@bp.get("/overview")
@roles_required("admin")
def overview():
    totals = {
        "enterprises": db.session.scalar(select(func.count()).select_from(Enterprise)),
        "users": db.session.scalar(select(func.count()).select_from(User)),
        "policies": db.session.scalar(select(func.count()).select_from(Policy)),
    }
    return render_template("admin/overview.html", rows=programme_counts(), totals=totals)
