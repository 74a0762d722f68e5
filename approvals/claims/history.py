"""What every move of a claim keeps: the claim's own facts, and its audit event.

Registered with the runtime as the claims' `Subjects` (approvals/claims/__init__.py): the
runtime calls `arrive` before the event and `record` to write it. `record` also writes the
event of a review task's decision (trigger `task_decision`, the claim staying in its state;
approvals/workflow/runtime.py `record_decision`), naming the official a substitute acted for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from approvals.claims import agency, promise, step_clock
from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.money import fmt
from approvals.organisations.payee import frozen_payee_masked
from approvals.policies import amount_rules
from approvals.workflow.registry import engine_for


@dataclass(frozen=True)
class AlsoRead:
    """A value another package reads with the claim in the door's one statement, registered
    by it (the audit: the head of the claim's chain, approvals/audit/chain.py), so that the
    claims import none of them."""

    column: Callable  # (Claim.id) -> a column expression correlated to the claim
    keep: Callable  # (session, claim, value): in a state where only moves append events
    ready: Callable  # (session, claim) -> bool: the event may go in the claim's own flush


ALSO_READ: dict[str, AlsoRead] = {}


def also_read(name: str, what: AlsoRead) -> None:
    ALSO_READ[name] = what
    _door_read.cache_clear()


def load_for_move(claim_id: int) -> Claim | None:
    """The claim as the door reads it: in one statement with what every move and its notice
    read (clause and its filed terms, department, claimant, evidence, and what `ALSO_READ`
    names), and its review tasks in a second. Issue 14: the door took 17 statements."""
    row = db.session.execute(_door_read(), {"claim_id": claim_id}).unique().first()
    if row is None:
        return None
    claim, *values = row
    # Without review tasks in its state, nothing but a move appends to the claim's record,
    # and a move's version check fails if another moved it since this read.
    if engine_for(claim).spec.tasks_of(claim.state) is None:
        for what, value in zip(ALSO_READ.values(), values, strict=True):
            what.keep(db.session, claim, value)
    return claim


@functools.cache
def _door_read():
    """Built once: composing the statement and its loader options cost as much as running it."""
    extra = [what.column(Claim.id) for what in ALSO_READ.values()]
    return (
        select(Claim, *extra)
        .where(Claim.id == bindparam("claim_id"))
        .options(
            joinedload(Claim.policy),
            joinedload(Claim.filed_terms),
            joinedload(Claim.department),
            joinedload(Claim.enterprise),
            joinedload(Claim.attachments),
            selectinload(Claim.review_tasks),
        )
        .execution_options(populate_existing=True)
    )


def flush_with_event(claim) -> None:
    """What `record` needs written first: nothing when every `ALSO_READ` is ready (the
    claim's UPDATE and its event go in one flush, the version check first); else the claim,
    whose UPDATE takes its row before the event is sealed (approvals/audit/chain.py)."""
    if not all(what.ready(db.session, claim) for what in ALSO_READ.values()):
        db.session.flush()


def arrive(step) -> None:
    """The queues a claim has reached (they decide who may still see it), its deadline in
    the new state, and whether it is decided."""
    claim = step.subject
    dest = step.engine.spec.states[step.transition.dest]
    if dest.queue == "finance":
        claim.reached_finance = True
    elif dest.queue == "government":
        claim.reached_government = True
    step_clock.enter(step)
    promise.on_arrival(step)
    claim.decided_at = step.now if dest.final else None
    claim.updated_at = step.now


def mark_submitted(step) -> None:
    """The `claim.submitted` effect: filed now; a 补正期限 of an earlier return is spent; an
    agency filing's agent and consent are recorded (approvals/claims/agency.py)."""
    claim = step.subject
    claim.submitted_at = step.now
    claim.supplement_due, claim.supplement_due_provisional = None, False
    promise.on_acceptance(step)
    agency.on_submission(step)


def record(step) -> ClaimEvent:
    claim, actor, taken = step.subject, step.actor, step.transition
    payload = {}
    for name, value in step.values.items():
        if name == "comment":
            continue  # the opinion has its own column
        payload[name] = fmt(value) if hasattr(value, "quantize") else value
    payload.update(step.facts)
    flush_with_event(claim)
    event = ClaimEvent(
        claim_id=claim.id,
        trigger=taken.trigger,
        from_state=step.source,
        to_state=taken.dest,
        actor_id=actor.id,
        at=step.now,
        comment=step.values.get("comment"),
        payload=payload,
        snapshot={
            "state": claim.state,
            "requested_amount": fmt(claim.requested_amount),
            "approved_amount": fmt(claim.approved_amount),
            "payment_reference": claim.payment_reference,
            "payee": frozen_payee_masked(claim),
            "policy": {
                "code": claim.policy.code,
                "version": claim.policy_version,  # the terms it was filed under
                "cap": fmt(claim.terms.cap),
                "requires_government_approval": claim.terms.requires_government_approval,
            },
            "evidence": [{"kind": a.kind, "sha256": a.sha256} for a in claim.attachments],
            "workflow": {"name": claim.workflow, "version": claim.workflow_version},
            **decision_facts(claim, actor, step.on_behalf_of),
        },
    )
    db.session.add(event)
    db.session.flush()
    return event


def decision_facts(claim, actor, principal=None) -> dict:
    """What an event's snapshot records beside the decision, the facts an auditor asks for:
    the amount inputs and the maximum they allow, the enterprise, and who decided in which
    capacity (and for whom, when a substitute decided: 委派), so that an event alone shows
    what the decision was based on."""
    computed = amount_rules.maximum_for(claim)
    department = actor.department
    capacity = {
        "role": actor.role,
        "department": department.code if department else None,
        "department_name": department.name if department else None,
    }
    if principal is not None:
        capacity["on_behalf_of"] = {
            "id": principal.id,
            "name": principal.display_name or principal.username,
            "department": principal.department.code if principal.department else None,
            "position": principal.position,
        }
    return {
        "amount_inputs": claim.amount_inputs,
        "maximum": {"amount": fmt(computed.maximum), "computation": computed.text},
        "enterprise": {
            "name": claim.enterprise.name,
            "credit_code": claim.enterprise.credit_code,
        },
        "actor": capacity,
    }
