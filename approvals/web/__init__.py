"""The web face: server-rendered pages over the same services as the API."""

from flask import Blueprint

bp = Blueprint("web", __name__)

# The page modules attach their routes, filters and handlers to `bp` when imported.
from approvals.web import filters, home, i18n, queue  # noqa: E402, F401
