"""Roles, their labels, and the scopes that tie an actor of a role to the claims it handles."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true

from approvals.i18n import N_

# The User row's CHECK constraint (approvals/organisations/models.py) is built from ROLES.
# `system` is the one account that takes the workflow's timed moves (the lapse of an overdue
# supplement); it has no password and signs in nowhere.
ROLES = ("enterprise", "reviewer", "finance", "government", "admin", "system")
ROLE_LABELS = {
    "enterprise": N_("申报企业"),
    "reviewer": N_("职能部门初审"),
    "finance": N_("财政复核"),
    "government": N_("市政府审定"),
    "admin": N_("系统管理员"),
    "system": N_("系统"),
}


__all__ = ["ROLES", "ROLE_LABELS", "Scope"]


@dataclass(frozen=True)
class Scope:
    """Which claims an actor is tied to, named by attribute so that one definition reads the
    same on a loaded claim (Python) and on the mapped class (SQL).

    `claim_attr` alone is a flag the claim carries (it reached an office); with `actor_attr`
    the claim's column must equal the actor's (own enterprise, own department)."""

    name: str
    claim_attr: str | None = None
    actor_attr: str | None = None
    every: bool = False

    def holds(self, actor, claim) -> bool:
        if self.every:
            return True
        if self.claim_attr is None:
            return False
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
        if self.actor_attr is None:
            return column.is_(True)
        return column == getattr(actor, self.actor_attr)


OWN_ENTERPRISE = Scope("own_enterprise", "enterprise_id", "enterprise_id")
OWN_DEPARTMENT = Scope("own_department", "department_id", "department_id")
# The city offices see what has reached them, whichever department's clause it falls under.
REACHED_FINANCE = Scope("reached_finance", "reached_finance")
REACHED_GOVERNMENT = Scope("reached_government", "reached_government")
EVERY_CLAIM = Scope("every_claim", every=True)
# The system account takes the timed moves the workflow gives it and reads no claim.
NO_CLAIM = Scope("no_claim")
