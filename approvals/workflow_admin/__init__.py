"""The administrator's view of the loaded workflows: each drawn from its file, with its
claims per state and the review tasks awaiting a decision per department. The workflow
package knows no HTTP; its pages are here, its JSON in approvals/api/workflows.py."""

from flask import Blueprint

bp = Blueprint("workflow_admin", __name__)


def init_app(app) -> None:
    from approvals.workflow_admin import calendar_routes, routes  # noqa: F401

    app.register_blueprint(bp)
