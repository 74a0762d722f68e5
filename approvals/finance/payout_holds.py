"""What holds a payable claim back from payout, as other features declare it (publicity's
公示, approvals/publicity/gate.py), so that finance imports none of them: each hold gives a
SQL clause for the claims it holds (kept out of the claims a batch is composed from) and the
reason it holds one claim (told when the claim is left out of a batch)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask, current_app
from sqlalchemy import ColumnElement, false, or_

HOLDS = "approvals.payout_holds"


def register(app: Flask, held: Callable[[], ColumnElement[bool]], problem: Callable) -> None:
    """`held()`: the SQL condition on Claim; `problem(claim, today)`: why, or None."""
    app.extensions.setdefault(HOLDS, []).append((held, problem))


def _holds() -> list:
    return current_app.extensions.get(HOLDS, [])


def held() -> ColumnElement[bool]:
    clauses = [hold() for hold, _ in _holds()]
    return or_(*clauses) if clauses else false()


def problem(claim, today: date) -> str | None:
    return next((why for _, reason in _holds() if (why := reason(claim, today))), None)
