"""The web face: server-rendered pages over the same services as the API."""

from flask import Blueprint

bp = Blueprint("web", __name__)


def init_app(app) -> None:
    # The page modules attach their routes, filters and handlers to `bp`.
    from approvals.web import filters, home, i18n, queue  # noqa: F401

    app.register_blueprint(bp)
