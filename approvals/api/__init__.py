"""JSON API v1: thin routes over the same services the web pages use."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app) -> None:
    from approvals.api import (  # noqa: F401
        admin_policies,
        delegations,
        idempotency,
        openapi,
        profile,
        rewards,
        routes,
        tasks,
        workflows,
    )
    from approvals.extensions import csrf

    csrf.exempt(bp)  # the API authenticates by bearer token only, never by cookie
    app.register_blueprint(bp)
