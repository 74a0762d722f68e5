"""Finance (财政): budgets, the ledger, payout batches, recovery and reports."""

from flask import Blueprint

bp = Blueprint("finance", __name__, url_prefix="/finance")


def init_app(app) -> None:
    """Finance's effects and fields on the catalog, its panel on the claim page, its pages,
    its API and its jobs (paying a batch, recomputing the reports in the worker)."""
    # The pages attach to bp when their modules are imported: here, before it is registered.
    from approvals.claims import panels
    from approvals.extensions import csrf
    from approvals.finance import effects, fields, models, report_routes, routes  # noqa: F401
    from approvals.finance.api import bp as api_bp
    from approvals.finance.batch_queue import CONFIRM_JOB, confirm_job
    from approvals.finance.claim_panel import finance_panel
    from approvals.finance.report_snapshots import (
        REFRESH_JOB,
        refresh_job,
        refresh_reports_command,
    )
    from approvals.jobs import register_job
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    effects.register(cat)
    fields.register(cat)
    panels.register(app, "money", finance_panel)  # budget and batch, on the claim page
    app.register_blueprint(bp)
    register_job(app, CONFIRM_JOB, confirm_job)
    register_job(app, REFRESH_JOB, refresh_job)
    app.cli.add_command(refresh_reports_command)
    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by cookie
    app.register_blueprint(api_bp)
