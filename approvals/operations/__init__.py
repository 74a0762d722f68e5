"""For operators: request ids and access logs, `/healthz` and `/metrics`."""

from __future__ import annotations

from flask import Blueprint, Flask

from approvals.operations import health, metrics, request_log

bp = Blueprint("operations", __name__)
bp.add_url_rule("/healthz", view_func=health.healthz, methods=["GET"])
bp.add_url_rule("/metrics", view_func=metrics.metrics, methods=["GET"])


def init_app(app: Flask) -> None:
    request_log.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(bp)
