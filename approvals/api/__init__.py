"""JSON API v1: thin routes over the same services the web pages use."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from approvals.api import profile, routes  # noqa: E402,F401  (register the routes on bp)
