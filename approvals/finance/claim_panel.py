"""What a finance official sees of a claim's money on its page: budget, batch, where to act."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from approvals.extensions import db
from approvals.finance.budgets import READER_ROLES, budget_for
from approvals.finance.models import BatchItem, Budget
from approvals.organisations.models import User
from approvals.workflow.spec import TransitionSpec

# The workflow file marks a move paid through its payout batch when the claim is in one.
BATCH_ONLY = "batch_only"


@dataclass(frozen=True)
class FinancePanel:
    budget: Budget | None
    budget_year: int
    batch_item: BatchItem | None

    def elsewhere(self, transition: TransitionSpec) -> str | None:
        """Where a move offered by the workflow is done instead of the claim page, if so:
        a `batch_only` move (the payout) through the batch the claim is in."""
        if BATCH_ONLY in transition.effects and self.batch_item is not None:
            return url_for("finance.batch", batch_id=self.batch_item.batch_id)
        return None


def finance_panel(actor: User, claim) -> FinancePanel | None:
    """The panel for finance, government and admin; None for everyone else."""
    if getattr(actor, "role", None) not in READER_ROLES:
        return None
    item = db.session.scalar(select(BatchItem).where(BatchItem.claim_id == claim.id))
    return FinancePanel(
        budget=budget_for(claim), budget_year=claim.policy.call_year, batch_item=item
    )
