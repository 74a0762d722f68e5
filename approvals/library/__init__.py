"""材料库: an enterprise's documents kept once with their validity and attached to its claims
by reference; and the itemised 补正 (a checklist the reviewer ticks, answered item by item)."""

from flask import Blueprint

bp = Blueprint("library", __name__)


def init_app(app) -> None:
    """The checklist field and the guard on the catalog, the claim page's panel, the pages."""
    from approvals.claims import panels
    from approvals.library import models, routes  # noqa: F401  (tables; routes on bp)
    from approvals.library.answers import supplement_answered, unanswered_text
    from approvals.library.checklist import FIELD
    from approvals.library.panel import library_panel
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    cat.field(FIELD)
    cat.guard("supplement_answered", unanswered_text, "supplement_answers")(supplement_answered)
    panels.register(app, "library", library_panel)
    app.register_blueprint(bp)
