"""Finance (财政): budgets, the ledger, payout batches, recovery and reports."""

from flask import Blueprint

bp = Blueprint("finance", __name__, url_prefix="/finance")

from approvals.finance import ledger, models  # noqa: E402,F401  (models join the metadata)

# The ledger listens to every transition, inside advance()'s transaction.
ledger.connect()

from approvals.finance import routes  # noqa: E402,F401  (registers the routes on bp)
