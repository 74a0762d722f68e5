"""Who may take and decide a review task: the officials of its role, in its department.

A review task names the role that acts on it and, for a department's part in a joint
review, the department (approvals/workflow/models.py `ReviewTask`). Whether the actor may
see the claim is the claim rule's answer (rules.py); deciding is this rule's alone, so a
department asked to review a claim of another department's clause may decide its task.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, or_

from approvals.access.roles import ROLE_LABELS
from approvals.access.rules import ALLOW, Decision
from approvals.i18n import N_

if TYPE_CHECKING:
    from approvals.organisations.models import User
    from approvals.workflow.models import ReviewTask

OTHER_DEPARTMENT = N_("该审核任务不属于本部门")


def can_decide(actor: User, task: ReviewTask) -> Decision:
    if actor.role != task.role:
        label = ROLE_LABELS.get(actor.role, actor.role)
        return Decision(False, f"当前角色（{label}）不能办理该审核任务")
    if task.department_id is not None and actor.department_id != task.department_id:
        return Decision(False, OTHER_DEPARTMENT)
    return ALLOW


def decidable_clause(actor: User, model: type[ReviewTask]) -> ColumnElement[bool]:
    """SQL condition on `model` (ReviewTask) for the tasks `actor` may decide: can_decide()
    as a WHERE clause; the caller names the model, as for visible_clause."""
    return and_(
        model.role == actor.role,
        or_(model.department_id.is_(None), model.department_id == actor.department_id),
    )
