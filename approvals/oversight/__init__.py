"""Oversight (督查): the city government office's view of how every department keeps the
programme's dates, with charts and CSV/XLSX exports."""

from flask import Blueprint

bp = Blueprint("oversight", __name__, url_prefix="/oversight")


def init_app(app) -> None:
    # The routes attach to bp when their module is imported: here, before it is registered.
    from approvals.oversight import routes  # noqa: F401

    app.register_blueprint(bp)
