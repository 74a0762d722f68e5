"""免申即享 (proactive grants, issue 16): for a clause marked proactive, the department imports
the list of eligible enterprises; each valid row becomes a claim already filled in and
assessed (workflows/proactive_grant), offered to the enterprise with a 兑现告知书; the
enterprise confirms with one click (意愿确认) and the claim goes straight to finance, or it
declines; an offer unconfirmed within the clause's working days expires at `flask tick`."""

from flask import Blueprint

bp = Blueprint("proactive", __name__)


def init_app(app) -> None:
    """The guards, effects and timer the workflow file names, the import pages and the demo
    command."""
    from approvals.proactive import models, moves, routes  # noqa: F401  (routes attach to bp)
    from approvals.proactive.demo import seed_proactive_command
    from approvals.workflow.registry import catalog

    moves.register(catalog(app))
    app.register_blueprint(bp)
    app.cli.add_command(seed_proactive_command)
