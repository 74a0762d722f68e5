"""兑现时限: a clause may promise payout within n working days of acceptance (受理).

Acceptance is the submission of a complete claim: a claim returned for supplement was not
complete, so its promise is counted again from the resubmission that completes it (the days
the enterprise had it do not count against the city). The promise's last day is kept on the
claim (`promise_due`) when it is accepted, so that the page and the reports read a date, not
a calendar computation per claim; and whether it was kept (`promise_kept`) when the claim is
first paid, so that the reports count kept promises with a GROUP BY.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from approvals.clock import LOCAL, current_time
from approvals.extensions import db
from approvals.workflow.calendar import add_working_days, load_overrides, working_days_left
from approvals.workflow.registry import engine_for


def on_acceptance(step) -> None:
    """At submission: the last day of the clause's promise, counted from today."""
    claim = step.subject
    days = claim.terms.promise_days
    claim.promise_due = add_working_days(step.today, days, load_overrides()).due if days else None
    claim.promise_kept = None


def on_arrival(step) -> None:
    """On the move that first pays the claim: whether the promise was kept (for the reports)."""
    claim = step.subject
    if claim.promise_due is None or claim.promise_kept is not None:
        return
    if step.engine.spec.has_tag(step.transition.dest, "paid"):
        claim.promise_kept = step.today <= claim.promise_due


@dataclass(frozen=True)
class Promise:
    days: int
    due: date
    paid_on: date | None  # the day the first payment left, if it did
    days_left: int  # working days after today up to the last day (while unpaid)

    @property
    def kept(self) -> bool | None:
        """Paid by the last day (True), after it (False); None while unpaid and in time."""
        if self.paid_on is not None:
            return self.paid_on <= self.due
        return None if self.days_left > 0 or not self.passed else False

    @property
    def passed(self) -> bool:
        return self.paid_on is None and current_time().astimezone(LOCAL).date() > self.due


def promise_of(claim) -> Promise | None:
    """What the claim page says of the clause's promise, for a claim accepted under one."""
    if claim.promise_due is None or not claim.terms.promise_days:
        return None
    spec = engine_for(claim).spec
    paid_on = _paid_on(claim) if spec.has_tag(claim.state, "paid") else None
    today = current_time().astimezone(LOCAL).date()
    left = 0 if paid_on else working_days_left(today, claim.promise_due, load_overrides())
    return Promise(claim.terms.promise_days, claim.promise_due, paid_on, left)


def _paid_on(claim) -> date | None:
    """The day of the move that first reached a paid state (拨付), from the claim's events."""
    from approvals.claims.models import ClaimEvent

    paid = engine_for(claim).spec.states_tagged("paid")
    at = db.session.scalar(
        select(ClaimEvent.at)
        .where(ClaimEvent.claim_id == claim.id, ClaimEvent.to_state.in_(paid))
        .order_by(ClaimEvent.id)
        .limit(1)
    )
    return at.astimezone(LOCAL).date() if at else None
