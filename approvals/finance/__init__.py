"""Finance (财政): budgets, the ledger, payout batches, recovery and reports."""

from flask import Blueprint

bp = Blueprint("finance", __name__, url_prefix="/finance")


def init_app(app) -> None:
    """Finance's effects and fields on the catalog, its panel on the claim page, its pages."""
    # The pages attach to bp when their modules are imported: here, before it is registered.
    from approvals.claims import panels
    from approvals.finance import effects, fields, models, report_routes, routes  # noqa: F401
    from approvals.finance.claim_panel import finance_panel
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    effects.register(cat)
    fields.register(cat)
    panels.register(app, "money", finance_panel)  # budget and batch, on the claim page
    app.register_blueprint(bp)
