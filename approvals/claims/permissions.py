"""Who may see a claim and who may fire which trigger on it, each answer with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, false, true

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


def visible_clause(actor: User):
    """SQL condition for the claims `actor` may see; the same rule as can_view()."""
    if actor.role == "enterprise":
        return Claim.enterprise_id == actor.enterprise_id
    if actor.role == "reviewer":
        return and_(Claim.department_id == actor.department_id, Claim.state != "draft")
    if actor.role == "finance":
        return Claim.reached_finance.is_(True)
    if actor.role == "government":
        return Claim.reached_government.is_(True)
    if actor.role == "admin":
        return true()
    return false()


def can_view(actor: User, claim: Claim) -> bool:
    if actor.role == "enterprise":
        return claim.enterprise_id == actor.enterprise_id
    if actor.role == "reviewer":
        return claim.department_id == actor.department_id and claim.state != "draft"
    if actor.role == "finance":
        return claim.reached_finance
    if actor.role == "government":
        return claim.reached_government
    return actor.role == "admin"


def can_fire(actor: User, claim: Claim, transition: TransitionSpec) -> Decision:
    if actor.role not in transition.roles:
        return Decision(False, f"当前角色（{actor.role_label}）无权执行此操作")
    if actor.role == "enterprise" and claim.enterprise_id != actor.enterprise_id:
        return Decision(False, "只能操作本企业的申报")
    if actor.role == "reviewer" and claim.department_id != actor.department_id:
        return Decision(False, "该申报不属于本部门初审")
    return ALLOW


def can_edit(actor: User, claim: Claim) -> Decision:
    if actor.role != "enterprise" or claim.enterprise_id != actor.enterprise_id:
        return Decision(False, "只有申报企业可以修改申报")
    return ALLOW
