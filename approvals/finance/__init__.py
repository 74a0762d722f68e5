"""Finance (财政): budgets, the ledger, payout batches, recovery and reports."""

from flask import Blueprint

bp = Blueprint("finance", __name__, url_prefix="/finance")


def init_app(app) -> None:
    """Finance's effects and fields on the catalog, and its pages."""
    from approvals.finance import effects, fields, models, routes  # noqa: F401 (routes on bp)
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    effects.register(cat)
    fields.register(cat)
    app.register_blueprint(bp)
