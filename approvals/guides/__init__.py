"""Policy guides (申兑指南): every clause's public page, the home page's searchable list of
clauses, and the administrator's page for what the guide adds to the clause's terms
(contact, material descriptions, sample files)."""

from flask import Blueprint

bp = Blueprint("guides", __name__, url_prefix="/guides")


def init_app(app) -> None:
    from approvals.guides import admin_routes, models, routes  # noqa: F401

    app.register_blueprint(bp)
