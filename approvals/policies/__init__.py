"""Policies (政策条款) as data: who reviews them, how much they pay, what evidence they need;
the administrator's pages that edit them, each edit a new version of the clause's terms."""

from flask import Blueprint

bp = Blueprint("policies", __name__, url_prefix="/admin/policies")


def init_app(app) -> None:
    from approvals.policies import admin_routes, versions  # noqa: F401

    versions.init_app(app)
    app.register_blueprint(bp)
