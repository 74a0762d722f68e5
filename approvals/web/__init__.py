"""The web face: server-rendered pages over the same services as the API."""

from flask import Blueprint, render_template
from sqlalchemy import select

bp = Blueprint("web", __name__)


@bp.get("/")
def index():
    from approvals.extensions import db
    from approvals.policies.models import Policy

    policies = db.session.scalars(select(Policy).order_by(Policy.code)).all()
    return render_template("index.html", policies=policies)
