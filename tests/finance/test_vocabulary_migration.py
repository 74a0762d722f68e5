"""0016 rewrites finance's stored words both ways: an open batch (was `draft`), a recovery
case repaid or waived (was `recovered`, `written_off`), a budget's repaid sum (was
`recovered`); nothing is lost on the way down and back up."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from approvals.demo import seed
from approvals.extensions import db
from approvals.finance import batches
from approvals.organisations.models import User
from tests.conftest import DEMO
from tests.factories import build_claim
from tests.test_migrations import empty_database

BEFORE = "0015_expert_review"


def _stored(old: bool) -> tuple:
    """(batch states, recovery outcomes, Σ budgets' repaid sum, Σ cases' repayments)."""
    column = "recovered" if old else "repaid"
    with db.engine.connect() as conn:
        states = conn.execute(text("SELECT state FROM batches")).scalars().all()
        outcomes = conn.execute(text("SELECT outcome FROM recoveries ORDER BY id")).scalars()
        on_budgets = conn.execute(text(f"SELECT SUM({column}) FROM budgets")).scalar()
        in_cases = conn.execute(text("SELECT SUM(repaid) FROM recoveries")).scalar()
    return states, list(outcomes), on_budgets, in_cases


def test_finance_words_are_rewritten_down_and_up(request, backend, tmp_path):
    with empty_database(request, backend, tmp_path) as config:
        command.upgrade(config, "head")
        seed(DEMO)
        build_claim("recovered", policy="JMJ-PLAN")  # repaid in full (tests/factories.py)
        build_claim("written_off", policy="JMJ-INFRA")
        payable = build_claim("approved", policy="KJJ-HITECH")
        finance = db.session.scalar(select(User).filter_by(username="finance"))
        batches.compose(finance, [payable.id])
        db.session.commit()
        db.session.remove()
        states, outcomes, on_budgets, in_cases = _stored(old=False)
        assert (states, outcomes) == (["open"], ["repaid", "waived"])
        assert on_budgets == in_cases > 0
        command.downgrade(config, BEFORE)
        assert _stored(old=True) == (["draft"], ["recovered", "written_off"], in_cases, in_cases)
        command.upgrade(config, "head")
        assert _stored(old=False) == (states, outcomes, in_cases, in_cases)
