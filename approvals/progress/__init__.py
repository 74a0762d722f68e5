"""Progress anyone can check: the claim page's stepper (提交 → 初审 → 复核 → 审定 → 拨付) and
进度查询, a claim's state and dates found by its number and the claimant's credit code."""

from flask import Blueprint

bp = Blueprint("progress", __name__, url_prefix="/progress")

# Failed look-ups per address and per claim number, as failed sign-ins are counted.
DEFAULT_RATE_LIMIT = "10 per minute; 100 per hour"


def init_app(app) -> None:
    from approvals.claims import panels
    from approvals.progress import routes  # noqa: F401  (attaches the pages to bp)
    from approvals.progress.stepper import stepper_panel

    app.config.setdefault("PROGRESS_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    panels.register(app, "stepper", stepper_panel)
    app.register_blueprint(bp)
