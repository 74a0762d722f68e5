"""Publicity before payout (公示): a policy's approved claims published for some working days,
objections (异议) anyone may lodge, settled by the claim's department; a claim is paid only
once its publicity is cleared."""

from flask import Blueprint

bp = Blueprint("publicity", __name__, url_prefix="/publicity")


def init_app(app) -> None:
    """The payout gate's guard, the upheld objection's guard and effect, and the pages."""
    from approvals.finance import payout_holds
    from approvals.publicity import gate, routes  # noqa: F401  (routes attach to bp)
    from approvals.workflow.registry import catalog

    gate.register(catalog(app))
    payout_holds.register(app, gate.held, gate.problem)  # finance's batches leave them out
    app.register_blueprint(bp)
