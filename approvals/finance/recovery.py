"""Recovery (追回): open a case on a paid claim, record repayments, close it.

The services take the claim's move that names the matching effect (`recovery.open`,
`recovery.repay`, `recovery.close`, `recovery.waive`) from its current state: the
workflow file says which of its triggers those are. A case ends repaid (追回结案) or with
the rest waived (核销): finance's own words for the case (Recovery.outcome).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.claims.tagged import trigger_with
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.finance import ledger
from approvals.finance.models import REPAID, WAIVED, Recovery, Repayment
from approvals.money import ZERO
from approvals.organisations.models import User
from approvals.workflow import runtime
from approvals.workflow.registry import engine_for
from approvals.workflow.runtime import available_transitions
from approvals.workflow.spec import TransitionSpec


def recovery_for(claim_id: int, *, lock: bool = False) -> Recovery | None:
    query = select(Recovery).where(Recovery.claim_id == claim_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def outstanding_for(claim_id: int) -> Decimal:
    recovery = recovery_for(claim_id)
    return recovery.outstanding if recovery else ZERO


# Effects (approvals/finance/effects.py), inside advance()'s transaction -----------------
# Each returns the case's figures for the move's notice (`NoticeFacts` fields), read from the
# Recovery row as the move leaves it: the notice states the ledger, whichever door was used.


def open_case(claim, event, amount: Decimal) -> dict:
    if recovery_for(claim.id) is not None:
        raise Conflict("该申报已有追回记录", code="recovery_exists")
    recovery = Recovery(
        claim_id=claim.id,
        amount_due=amount,
        reason=event.comment or "",
        opened_event_id=event.id,
        opened_at=event.at,
    )
    db.session.add(recovery)
    return {"recovery_due": recovery.amount_due}


def receive_repayment(claim, event, amount: Decimal) -> dict:
    recovery = recovery_for(claim.id, lock=True)
    if amount > recovery.outstanding:  # re-checked under the lock
        raise Invalid(f"还款金额不能超过尚欠金额 {recovery.outstanding:,.2f} 元")
    recovery.repaid += amount
    db.session.add(
        Repayment(recovery_id=recovery.id, event_id=event.id, amount=amount, received_at=event.at)
    )
    ledger.recover(claim, event, amount)
    return {
        "recovery_due": recovery.amount_due,
        "repayment": amount,
        "repaid_total": recovery.repaid,
        "outstanding": recovery.outstanding,
    }


def close_case(claim, event, outcome: str) -> dict:
    """`outcome` is the case's own record (Recovery.outcome): REPAID or WAIVED."""
    recovery = recovery_for(claim.id, lock=True)
    if outcome == REPAID and recovery.outstanding > 0:
        raise Invalid(
            f"尚欠 {recovery.outstanding:,.2f} 元未追回，不能结案；请继续登记还款或办理核销"
        )
    if outcome == WAIVED and recovery.outstanding == 0:
        raise Invalid("应追回金额已全部追回，请办理追回结案")
    recovery.outcome, recovery.closed_at = outcome, event.at
    figures = {"recovery_due": recovery.amount_due, "repaid_total": recovery.repaid}
    if outcome == WAIVED:
        figures["amount_written_off"] = recovery.outstanding  # what is no longer pursued
    return figures


# Services: the finance pages' door to the moves, through the one door ---------------
# The notice's amounts come from the effects above; the comment is only the official's
# words: the reason (start, waive) or a note (repay, close).
# `now` is advance()'s: the application's clock unless given (the demo dates its history).


def _move(claim_id: int, effect: str) -> str:
    """The trigger of the claim's move that names `effect` (see `trigger_with`)."""
    return trigger_with(db.session.get(Claim, claim_id), effect)


# Which moves are recovery moves: the workflow's, by the effect they name --------------
# The recovery effects, in the order a case runs; each is taken by one service (`take`).
EFFECTS = ("recovery.open", "recovery.repay", "recovery.close", "recovery.waive")


def _recovery_effect(transition: TransitionSpec) -> str | None:
    return next((e for e in transition.effects if e in EFFECTS), None)


def moves(actor: User, claim) -> list[tuple[TransitionSpec, str]]:
    """The recovery moves `actor` may take on `claim` now, each with its recovery effect."""
    return [
        (t, effect)
        for t in available_transitions(actor, claim)
        if (effect := _recovery_effect(t)) is not None
    ]


def move_named(claim, trigger: str) -> tuple[TransitionSpec, str] | None:
    """The claim's workflow move `trigger` (its first declaration) if it is a recovery move."""
    spec = engine_for(claim).spec
    if trigger not in spec.triggers:
        return None
    transition = spec.first(trigger)
    effect = _recovery_effect(transition)
    return (transition, effect) if effect else None


def start(
    actor: User, claim_id: int, amount, reason: str, *, version: int, now: datetime | None = None
):
    """Put a paid claim into recovery for `amount`, giving the reason; the amount is
    checked by its declared field when the move is taken."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写追回原因", fields={"comment": "请填写追回原因"})
    return runtime.advance(
        actor,
        claim_id,
        _move(claim_id, "recovery.open"),
        version=version,
        now=now,
        recovery_amount=amount,
        comment=reason,
    )


def repay(
    actor: User, claim_id: int, amount, *, version: int, note: str = "", now: datetime | None = None
):
    """Record one repayment; the notice states it, the total repaid and what is still owed."""
    return runtime.advance(
        actor,
        claim_id,
        _move(claim_id, "recovery.repay"),
        version=version,
        now=now,
        repayment_amount=amount,
        comment=(note or "").strip() or None,
    )


def close(actor: User, claim_id: int, *, version: int, note: str = "", now: datetime | None = None):
    """Close the case: everything owed is repaid (追回结案); `note` is optional."""
    trigger = _move(claim_id, "recovery.close")
    comment = (note or "").strip() or None
    return runtime.advance(actor, claim_id, trigger, version=version, now=now, comment=comment)


def waive(actor: User, claim_id: int, reason: str, *, version: int, now: datetime | None = None):
    """Stop pursuing what is still owed, giving the reason; the notice states the amount."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写核销原因", fields={"comment": "请填写核销原因"})
    trigger = _move(claim_id, "recovery.waive")
    return runtime.advance(actor, claim_id, trigger, version=version, now=now, comment=reason)


def take(
    actor: User,
    claim_id: int,
    effect: str,
    *,
    version: int,
    amount=None,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
):
    """The service for the recovery move that names `effect`, given the page's values."""
    if effect == "recovery.open":
        return start(actor, claim_id, amount, reason, version=version, now=now)
    if effect == "recovery.repay":
        return repay(actor, claim_id, amount, version=version, note=note or "", now=now)
    if effect == "recovery.close":
        return close(actor, claim_id, version=version, note=note or "", now=now)
    if effect == "recovery.waive":
        return waive(actor, claim_id, reason, version=version, now=now)
    raise Invalid("未知操作")
