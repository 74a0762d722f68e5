"""The one rule table of claim access, compiled to can_view, visible_clause, can_fire and
can_edit: each role sees a scope of claims (less the states of a tag), and acts within it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, Select, and_, or_, union

from approvals.access.delegation import DELEGATED_TASK
from approvals.access.roles import (
    AGENT,
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
    # 全程代办: the claims it files on a claimant's behalf. It sees them from the draft on,
    # changes them as the claimant would, and takes on them the moves the owner's role takes
    # (submitting); on no other claim may it take those, and its other moves stay in `sees`.
    agent_of: Scope | None = None


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
        # Its department's tasks, and those of the officials it substitutes for (委派).
        also_sees=(DEPARTMENT_TASK, DELEGATED_TASK),
        filed_only=True,
        outside_scope=N_("该申报不属于本部门初审"),
        agent_of=AGENT,
    ),
    Rule("finance", sees=REACHED_FINANCE, sees_payout_batches=True),
    Rule("government", sees=REACHED_GOVERNMENT, sees_payout_batches=True),
    Rule("admin", sees=EVERY_CLAIM, sees_payout_batches=True),
    Rule("system", sees=NO_CLAIM),
    # 评审专家: no claim through the claim pages, queues or API, and no move; the claims it
    # is asked to score, and only what scoring needs, through approvals/expert_review.
    Rule("expert", sees=NO_CLAIM),
)
RULE_OF_ROLE = {rule.role: rule for rule in RULES}
# A role the table does not know sees nothing and does nothing.
NOBODY = Rule("", sees=NO_CLAIM)

EDIT_REFUSED = N_("只有申报企业可以修改申报")
AGENT_ONLY = N_("只有该申报的代办人可以代申报单位办理")
CONSENT_REFUSED = N_("只有申报单位可以确认代办")
# The roles whose own claims they are: a move they take is the claimant's (submitting).
OWNER_ROLES = frozenset(rule.role for rule in RULES if rule.owner)


def rule_for(actor: User) -> Rule:
    return RULE_OF_ROLE.get(actor.role, NOBODY)


# The rule table compiled ---------------------------------------------------------------------


def _agent(rule: Rule, actor: User, claim: Claim) -> bool:
    return rule.agent_of is not None and rule.agent_of.holds(actor, claim)


def can_view(actor: User, claim: Claim) -> bool:
    rule = rule_for(actor)
    if _agent(rule, actor, claim):
        return True  # its own agency claims, drafts too
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
    if rule.agent_of is not None:
        clause = or_(clause, rule.agent_of.clause(actor, model))
    return clause


def beyond_scope_ids(actor: User, model: type[Claim]) -> Select | None:
    """The ids of what `actor` sees besides its own scope (`Rule.sees`): the claims of its
    tasks, its principals' and its agency filings, one select; None when there are none.
    The queue counts (approvals/claims/queries.py) count the own scope from kept counts, and
    these by rows, driven from these ids. (`filed_only` changes nothing there: a queue's
    states are all past submission.)"""
    rule = rule_for(actor)
    scopes = [*rule.also_sees, *([rule.agent_of] if rule.agent_of is not None else [])]
    selects = [ids for scope in scopes if (ids := scope.ids(actor, model)) is not None]
    if not selects:
        return None
    return union(*selects) if len(selects) > 1 else selects[0]


def can_fire(actor: User, claim: Claim, transition: TransitionSpec) -> Decision:
    if actor.role not in transition.roles:
        label = ROLE_LABELS.get(actor.role, actor.role)
        return Decision(False, f"当前角色（{label}）无权执行此操作")
    rule = rule_for(actor)
    if not rule.owner and OWNER_ROLES & set(transition.roles):  # the claimant's own move
        return ALLOW if _agent(rule, actor, claim) else Decision(False, AGENT_ONLY)
    if rule.outside_scope and not rule.sees.holds(actor, claim):
        return Decision(False, rule.outside_scope)
    return ALLOW


def can_edit(actor: User, claim: Claim) -> Decision:
    rule = rule_for(actor)
    if _agent(rule, actor, claim):
        return ALLOW
    if not (rule.edits and rule.sees.holds(actor, claim)):
        return Decision(False, EDIT_REFUSED)
    return ALLOW


def can_consent(actor: User, claim: Claim) -> Decision:
    """Consent to an agency filing is the claimant's: a user of the owner role, on its own
    claim (approvals/claims/agency.py)."""
    rule = rule_for(actor)
    if not (rule.owner and rule.sees.holds(actor, claim)):
        return Decision(False, CONSENT_REFUSED)
    return ALLOW


def sees_only_own(actor: User) -> bool:
    return rule_for(actor).owner


def can_view_payout_batches(actor: User) -> bool:
    return rule_for(actor).sees_payout_batches


# 督办 (approvals/supervision): 市府办 issues the 督办通知 and the administrator sees what it
# sees, so both read every one; another official reads those addressed to its department.
SUPERVISION_READERS = ("reviewer", "finance", "government", "admin")
READS_EVERY_SUPERVISION = frozenset({"government", "admin"})


def supervisions_seen(actor: User) -> str:
    """Which 督办通知 `actor` reads: "all", "own" (its department's) or "none"."""
    if actor.role in READS_EVERY_SUPERVISION:
        return "all"
    return "own" if actor.role in SUPERVISION_READERS and actor.department_id else "none"
