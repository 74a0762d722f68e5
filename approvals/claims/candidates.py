"""Where a claim's review tasks go: the candidate sources the workflow files may name.

`candidates = "policy.joint_review"` in a state's tasks: one task for each department the
claim's policy lists for joint review (联合审核), in the policy's order, decided by that
department's reviewers. `candidates = "claim.department"`: one task for the department the
claim is declared to (its clause's, or the one it was transferred to), e.g. the lead
department's own review before the joint one.
"""

from __future__ import annotations

from sqlalchemy import select

from approvals.errors import Conflict
from approvals.extensions import db
from approvals.organisations.models import Department


def joint_review(claim) -> list[int]:
    """The ids of the departments the claim's policy lists for joint review."""
    codes = list(dict.fromkeys(claim.terms.joint_review or []))
    found = dict(
        db.session.execute(
            select(Department.code, Department.id).where(Department.code.in_(codes))
        ).all()
    )
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise Conflict(
            f"政策条款列出的联合审核部门不存在：{'、'.join(unknown)}", code="unknown_department"
        )
    return [found[code] for code in codes]


def own_department(claim) -> list[int]:
    """The department the claim is declared to."""
    return [claim.department_id]


def register(cat) -> None:
    cat.task_source("policy.joint_review", joint_review, role="reviewer")
    cat.task_source("claim.department", own_department, role="reviewer")
