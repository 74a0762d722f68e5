"""Finance (财政): budgets, the ledger, payout batches, recovery and reports."""

from flask import Blueprint

bp = Blueprint("finance", __name__, url_prefix="/finance")
