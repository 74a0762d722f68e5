"""What every move of a claim keeps: the claim's own facts, and its audit event.

Registered with the runtime as the claims' `Subjects` (approvals/claims/__init__.py): the
runtime calls `arrive` before the event and `record` to write it. `record` also writes the
event of a review task's decision (trigger `task_decision`, the claim staying in its state;
approvals/workflow/runtime.py `record_decision`), naming the official a substitute acted for.
"""

from __future__ import annotations

from approvals.claims import agency
from approvals.claims.models import ClaimEvent
from approvals.extensions import db
from approvals.money import fmt
from approvals.organisations.payee import frozen_payee_masked
from approvals.policies import amount_rules
from approvals.workflow.deadlines import due_at


def arrive(step) -> None:
    """The queues a claim has reached (they decide who may still see it), its deadline in
    the new state, and whether it is decided."""
    claim = step.subject
    dest = step.engine.spec.states[step.transition.dest]
    if dest.queue == "finance":
        claim.reached_finance = True
    elif dest.queue == "government":
        claim.reached_government = True
    claim.due_at = due_at(dest.deadline, claim.policy.call_year)
    claim.decided_at = step.now if dest.final else None
    claim.updated_at = step.now


def mark_submitted(step) -> None:
    """The `claim.submitted` effect: filed now; a 补正期限 of an earlier return is spent; an
    agency filing's agent and consent are recorded (approvals/claims/agency.py)."""
    claim = step.subject
    claim.submitted_at = step.now
    claim.supplement_due, claim.supplement_due_provisional = None, False
    agency.on_submission(step)


def record(step) -> ClaimEvent:
    claim, actor, taken = step.subject, step.actor, step.transition
    payload = {}
    for name, value in step.values.items():
        if name == "comment":
            continue  # the opinion has its own column
        payload[name] = fmt(value) if hasattr(value, "quantize") else value
    payload.update(step.facts)
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
