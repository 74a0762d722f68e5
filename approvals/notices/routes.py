"""Public verification of notices (/verify/<code>): anyone may check a notice."""

from flask import Blueprint

bp = Blueprint("notices", __name__)
