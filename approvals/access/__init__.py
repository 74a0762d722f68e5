"""Who may see and do what: roles, their scopes, and the one rule table compiled from them."""

from approvals.access.roles import ROLE_LABELS, ROLES, Scope
from approvals.access.rules import (
    ALLOW,
    RULES,
    Decision,
    Rule,
    can_edit,
    can_fire,
    can_view,
    can_view_payout_batches,
    rule_for,
    sees_only_own,
    visible_clause,
)
from approvals.access.tasks import can_decide, decidable_clause

__all__ = [
    "ALLOW",
    "ROLES",
    "ROLE_LABELS",
    "RULES",
    "Decision",
    "Rule",
    "Scope",
    "can_decide",
    "can_edit",
    "can_fire",
    "can_view",
    "can_view_payout_batches",
    "decidable_clause",
    "rule_for",
    "sees_only_own",
    "visible_clause",
]
