"""A clause's panel (评审专家组), its scoring criteria (评分标准) and its experts' declared
conflicts of interest, read for scoring and ranking; set up by the seed (demo.py)."""

from __future__ import annotations

from sqlalchemy import delete, select

from approvals.errors import Invalid
from approvals.expert_review.models import POINTS_MAX, Conflict, Criterion, PanelMember
from approvals.extensions import db
from approvals.organisations.models import User

EXPERT = "expert"


def members(policy_id: int) -> list[User]:
    """The clause's panel, in the order its members were named."""
    query = (
        select(User)
        .join(PanelMember, PanelMember.expert_id == User.id)
        .where(PanelMember.policy_id == policy_id)
        .order_by(PanelMember.id)
    )
    return list(db.session.scalars(query))


def criteria(policy_id: int) -> list[Criterion]:
    query = select(Criterion).where(Criterion.policy_id == policy_id)
    return list(db.session.scalars(query.order_by(Criterion.position, Criterion.id)))


def conflict(expert_id: int, enterprise_id: int) -> Conflict | None:
    """The expert's declared conflict with the enterprise, if any."""
    query = select(Conflict).where(
        Conflict.expert_id == expert_id, Conflict.enterprise_id == enterprise_id
    )
    return db.session.scalar(query)


def recused(claim) -> set[int]:
    """The ids of the panel members who declared a conflict with the claim's enterprise."""
    query = select(Conflict.expert_id).where(Conflict.enterprise_id == claim.enterprise_id)
    return set(db.session.scalars(query))


def scorers(claim) -> list[User]:
    """The panel members who score the claim: all but the recused."""
    out = recused(claim)
    return [m for m in members(claim.policy_id) if m.id not in out]


def set_panel(policy, experts: list[User], items: list[dict]) -> None:
    """Name the clause's panel and criteria (`items`: key, label_zh, label_en, max_points),
    replacing what it had; inside the caller's transaction."""
    wrong = [u.username for u in experts if u.role != EXPERT]
    if wrong:
        raise Invalid(f"评审专家须为专家角色：{'、'.join(wrong)}", fields={"experts": "角色不符"})
    for item in items:
        if not 1 <= int(item["max_points"]) <= POINTS_MAX:
            raise Invalid(f"评分标准“{item['label_zh']}”的分值应在 1 至 {POINTS_MAX} 之间")
    db.session.execute(delete(PanelMember).where(PanelMember.policy_id == policy.id))
    db.session.add_all(PanelMember(policy_id=policy.id, expert_id=u.id) for u in experts)
    if not db.session.scalar(select(Criterion.id).where(Criterion.policy_id == policy.id)):
        db.session.add_all(
            Criterion(policy_id=policy.id, position=n, **item) for n, item in enumerate(items)
        )
