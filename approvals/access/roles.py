"""Roles, their labels, and the scopes that tie an actor of a role to the claims it handles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, false, select, true

from approvals.i18n import N_

# The User row's CHECK constraint (approvals/organisations/models.py) is built from ROLES.
# `system` is the one account that takes the workflow's timed moves (the lapse of an overdue
# supplement); it has no password and signs in nowhere.
# `expert` sits on a special-fund clause's panel (评审专家组) and scores its claims
# (approvals/expert_review); it sees no claim's page, only what scoring needs.
ROLES = ("enterprise", "reviewer", "finance", "government", "admin", "system", "expert")
ROLE_LABELS = {
    "enterprise": N_("申报企业"),
    "reviewer": N_("职能部门初审"),
    "finance": N_("财政复核"),
    "government": N_("市政府审定"),
    "admin": N_("系统管理员"),
    "system": N_("系统"),
    "expert": N_("评审专家"),
}

# An official's place in a department's sign-off chain (按节点逐项签字把关): the case officer
# prepares a decision (经办), the section chief checks and signs it (审核), and for amounts
# above the policy's threshold the leader in charge signs it too (审批). The User row's CHECK
# constraint is built from POSITIONS, in chain order.
POSITIONS = ("case_officer", "section_chief", "leader")
POSITION_LABELS = {
    "case_officer": N_("经办人"),
    "section_chief": N_("科室负责人"),
    "leader": N_("分管领导"),
}


__all__ = ["POSITIONS", "POSITION_LABELS", "ROLES", "ROLE_LABELS", "Scope"]


@dataclass(frozen=True)
class Scope:
    """Which claims an actor is tied to, named by attribute so that one definition reads the
    same on a loaded claim (Python) and on the mapped class (SQL).

    `claim_attr` alone is a flag the claim carries (it reached an office); with `actor_attr`
    the claim's column must equal the actor's (own enterprise, own department). With
    `through`, `claim_attr` names rows related to the claim (a relationship), one of which
    must carry the actor's `actor_attr` in its `through` column (a review task for the
    actor's department); an actor without that attribute has none."""

    name: str
    claim_attr: str | None = None
    actor_attr: str | None = None
    every: bool = False
    through: str | None = None

    def holds(self, actor, claim) -> bool:
        if self.every:
            return True
        if self.claim_attr is None:
            return False
        if self.through is not None:
            mine = getattr(actor, self.actor_attr)
            rows = getattr(claim, self.claim_attr)
            return mine is not None and any(getattr(r, self.through) == mine for r in rows)
        value = getattr(claim, self.claim_attr)
        if self.actor_attr is None:
            return bool(value)
        return value == getattr(actor, self.actor_attr)

    def clause(self, actor, model) -> ColumnElement[bool]:
        if self.every:
            return true()
        if self.claim_attr is None:
            return false()
        column = getattr(model, self.claim_attr)
        if self.through is not None:
            mine = getattr(actor, self.actor_attr)
            # EXISTS (a related row with the actor's value), the relationship's own join.
            return false() if mine is None else column.any(**{self.through: mine})
        if self.actor_attr is None:
            return column.is_(True)
        return column == getattr(actor, self.actor_attr)

    def ids(self, actor, model) -> Select | None:
        """The ids of the claims the scope holds for `actor`, as a select that a count can be
        driven from: `model.id IN (…)` the planner turns into a join on the few rows it
        names, where the `clause` EXISTS is probed once per candidate claim (every waiting
        claim of the city, at a million). None when it holds no claim."""
        if self.every:
            raise ValueError(f"{self.name} holds every claim: no list of ids")
        if self.claim_attr is None:
            return None
        column = getattr(model, self.claim_attr)
        if self.through is not None:
            mine = getattr(actor, self.actor_attr)
            if mine is None:
                return None
            relation = column.property
            [(_, claim_id)] = relation.local_remote_pairs  # e.g. review_tasks.claim_id
            return select(claim_id).where(getattr(relation.mapper.class_, self.through) == mine)
        if self.actor_attr is None:
            return select(model.id).where(column.is_(True))
        return select(model.id).where(column == getattr(actor, self.actor_attr))


OWN_ENTERPRISE = Scope("own_enterprise", "enterprise_id", "enterprise_id")
OWN_DEPARTMENT = Scope("own_department", "department_id", "department_id")
# 全程代办: the claims the actor files on a claimant's behalf, as its agent.
AGENT = Scope("agent", "agent_id", "id")
# A claim another department's clause governs, on which the actor's department has a review
# task (open, claimed or done, in any round): 联合审核 asks it to read the claim it decides.
DEPARTMENT_TASK = Scope("department_task", "review_tasks", "department_id", through="department_id")
# The city offices see what has reached them, whichever department's clause it falls under.
REACHED_FINANCE = Scope("reached_finance", "reached_finance")
REACHED_GOVERNMENT = Scope("reached_government", "reached_government")
EVERY_CLAIM = Scope("every_claim", every=True)
# The system account takes the timed moves the workflow gives it and reads no claim.
NO_CLAIM = Scope("no_claim")
