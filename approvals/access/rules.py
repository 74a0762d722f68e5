"""The one rule table of claim access, compiled to can_view, visible_clause, can_fire and
can_edit: each role sees a scope of claims (less the states of a tag), and acts within it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, or_

from approvals.access.roles import (
    DEPARTMENT_TASK,
    EVERY_CLAIM,
    NO_CLAIM,
    OWN_DEPARTMENT,
    OWN_ENTERPRISE,
    REACHED_FINANCE,
    REACHED_GOVERNMENT,
    ROLE_LABELS,
    Scope,
)
from approvals.i18n import N_

if TYPE_CHECKING:
    from approvals.claims.models import Claim
    from approvals.organisations.models import User
    from approvals.workflow.spec import TransitionSpec


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


@dataclass(frozen=True)
class Rule:
    role: str
    sees: Scope  # the claims it sees and acts within
    # Claims it also sees, but acts on only as its tasks allow (access/tasks.py): moving
    # them, or anything else, stays within `sees`.
    also_sees: tuple[Scope, ...] = ()
    # Only claims the enterprise has filed (submitted at least once): a draft, or a draft
    # withdrawn before it was ever submitted, is the enterprise's alone.
    filed_only: bool = False
    # Why this role may not move a claim outside its scope. None: the workflow's roles alone
    # decide (the city offices act on what reached them, the system on the claim it is given).
    outside_scope: str | None = None
    edits: bool = False  # may change the claim's content (in the states the claim allows)
    # An owner learns nothing of claims that are not its own: they are "not found" before
    # any other answer (officials are told a move is not theirs before that).
    owner: bool = False
    sees_payout_batches: bool = False  # batch lists: notices that belong to no one claim


RULES: tuple[Rule, ...] = (
    Rule(
        "enterprise",
        sees=OWN_ENTERPRISE,
        outside_scope=N_("只能操作本企业的申报"),
        edits=True,
        owner=True,
    ),
    Rule(
        "reviewer",
        sees=OWN_DEPARTMENT,
        also_sees=(DEPARTMENT_TASK,),
        filed_only=True,
        outside_scope=N_("该申报不属于本部门初审"),
    ),
    Rule("finance", sees=REACHED_FINANCE, sees_payout_batches=True),
    Rule("government", sees=REACHED_GOVERNMENT, sees_payout_batches=True),
    Rule("admin", sees=EVERY_CLAIM, sees_payout_batches=True),
    Rule("system", sees=NO_CLAIM),
)
RULE_OF_ROLE = {rule.role: rule for rule in RULES}
# A role the table does not know sees nothing and does nothing.
NOBODY = Rule("", sees=NO_CLAIM)

EDIT_REFUSED = N_("只有申报企业可以修改申报")


def rule_for(actor: User) -> Rule:
    return RULE_OF_ROLE.get(actor.role, NOBODY)


# The rule table compiled ---------------------------------------------------------------------


def can_view(actor: User, claim: Claim) -> bool:
    rule = rule_for(actor)
    if rule.filed_only and claim.submitted_at is None:
        return False
    return any(scope.holds(actor, claim) for scope in (rule.sees, *rule.also_sees))


def visible_clause(actor: User, model: type[Claim]) -> ColumnElement[bool]:
    """SQL condition on `model` (Claim) for the claims `actor` may see: can_view() as a
    WHERE clause. The caller names the model: access imports no feature's models, so that
    the features may take their roles and rules from access."""
    rule = rule_for(actor)
    clause = or_(*(scope.clause(actor, model) for scope in (rule.sees, *rule.also_sees)))
    if rule.filed_only:
        clause = and_(clause, model.submitted_at.is_not(None))
    return clause


def can_fire(actor: User, claim: Claim, transition: TransitionSpec) -> Decision:
    if actor.role not in transition.roles:
        label = ROLE_LABELS.get(actor.role, actor.role)
        return Decision(False, f"当前角色（{label}）无权执行此操作")
    rule = rule_for(actor)
    if rule.outside_scope and not rule.sees.holds(actor, claim):
        return Decision(False, rule.outside_scope)
    return ALLOW


def can_edit(actor: User, claim: Claim) -> Decision:
    rule = rule_for(actor)
    if not (rule.edits and rule.sees.holds(actor, claim)):
        return Decision(False, EDIT_REFUSED)
    return ALLOW


def sees_only_own(actor: User) -> bool:
    return rule_for(actor).owner


def can_view_payout_batches(actor: User) -> bool:
    return rule_for(actor).sees_payout_batches
