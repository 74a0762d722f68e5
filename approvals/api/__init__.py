"""JSON API v1: thin routes over the same services the web pages use."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app) -> None:
    from approvals.api import delegations, profile, rewards, routes, tasks  # noqa: F401
    from approvals.extensions import csrf

    csrf.exempt(bp)  # the API authenticates by bearer token only, never by cookie
    app.register_blueprint(bp)
