"""What an event's snapshot records beside the decision: the facts an auditor asks for."""

from __future__ import annotations

from approvals.money import fmt
from approvals.policies import amount_rules


def decision_facts(claim, actor) -> dict:
    """The amount inputs and the maximum they allow, the enterprise, and who decided in
    which capacity: so that an event alone shows what the decision was based on."""
    computed = amount_rules.maximum_for(claim)
    department = actor.department
    return {
        "amount_inputs": claim.amount_inputs,
        "maximum": {"amount": fmt(computed.maximum), "computation": computed.text},
        "enterprise": {
            "name": claim.enterprise.name,
            "credit_code": claim.enterprise.credit_code,
        },
        "actor": {
            "role": actor.role,
            "department": department.code if department else None,
            "department_name": department.name if department else None,
        },
    }
