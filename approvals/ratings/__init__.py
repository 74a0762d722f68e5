"""好差评: once a claim has ended (decided, or paid), its claimant rates the service, 1 to 5
with a comment; the oversight page shows the ratings per department."""

from flask import Blueprint

bp = Blueprint("ratings", __name__)


def init_app(app) -> None:
    from approvals.claims import panels
    from approvals.ratings import routes  # noqa: F401  (attaches the form's route to bp)
    from approvals.ratings.service import rating_panel

    panels.register(app, "rating", rating_panel)
    app.register_blueprint(bp)
