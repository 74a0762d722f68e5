"""The gate before payout: a claim whose clause requires publicity (公示) is paid only once
it has been published, its period is over and no objection to it is open.

Read at the moment of asking, from dates that are data (`publicities.ends_on`, Beijing):
nothing needs to fire when a period ends. The same rule twice, as everything here is kept:
a guard on the claim (`publicity_cleared`, on the payout move, with the reason it fails) and
a SQL clause (`held`) that keeps such claims out of the claims a batch is composed from.
A claim of a clause without publicity (`publicity_days` NULL) is never held.

The move an upheld objection takes (back to review) is guarded by `objection_upheld`, which
holds only while the department's decision upholding an objection is being recorded, so no
page offers it and nothing else takes it; its effect `publicity.reopen` takes the claim off
its list, for good.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, exists, select

from approvals.claims.models import Claim
from approvals.clock import local_today
from approvals.extensions import db
from approvals.policies.models import PolicyVersion
from approvals.publicity.models import OPEN, Objection, Publicity, PublicityItem
from approvals.workflow.guards import GuardContext

REOPEN = "publicity.reopen"
LISTED = "listed"


def listed_item(claim_id: int) -> PublicityItem | None:
    """The claim's item on the list it now stands on, if any (one at most: a claim is
    published again only after its item was reopened)."""
    return db.session.scalar(
        select(PublicityItem)
        .where(PublicityItem.claim_id == claim_id, PublicityItem.status == LISTED)
        .order_by(PublicityItem.id.desc())
        .limit(1)
    )


def open_objections(item: PublicityItem) -> int:
    return sum(1 for o in item.objections if o.status == OPEN)


def problem(claim, today: date) -> str | None:
    """Why the claim may not be paid yet for its publicity; None when it may."""
    if not claim.terms.publicity_days:
        return None
    item = listed_item(claim.id)
    if item is None:
        return "该政策须公示后方可拨付：该申报尚未列入公示"
    publicity = item.publicity
    if not publicity.ended(today):
        return f"该申报正在公示（至{publicity.ends_on:%Y-%m-%d}），公示期满且无异议后方可拨付"
    if open_objections(item):
        return "该申报有未处理的公示异议，须由初审部门处理后方可拨付"
    return None


def publicity_cleared(claim, ctx: GuardContext) -> bool:
    return problem(claim, ctx.today) is None


def _not_cleared_text(claim, ctx: GuardContext) -> str:
    return problem(claim, ctx.today) or ""


def needs_publicity() -> ColumnElement[bool]:
    """SQL: the terms the claim was filed under require publicity."""
    return exists(
        select(PolicyVersion.id).where(
            PolicyVersion.policy_id == Claim.policy_id,
            PolicyVersion.version == Claim.policy_version,
            PolicyVersion.publicity_days.is_not(None),
        )
    )


def held(today: date | None = None) -> ColumnElement[bool]:
    """SQL: the claim needs publicity and is not cleared of it on `today` (Beijing)."""
    today = today or local_today()
    open_objection = exists(
        select(Objection.id).where(Objection.item_id == PublicityItem.id, Objection.status == OPEN)
    )
    cleared = exists(
        select(PublicityItem.id)
        .join(Publicity, Publicity.id == PublicityItem.publicity_id)
        .where(
            PublicityItem.claim_id == Claim.id,
            PublicityItem.status == LISTED,
            Publicity.ends_on < today,
            ~open_objection,
        )
    )
    return and_(needs_publicity(), ~cleared)


def upheld_objection(claim_id: int) -> Objection | None:
    """The objection being upheld against the claim's listed item, if one is."""
    return db.session.scalar(
        select(Objection)
        .join(PublicityItem, PublicityItem.id == Objection.item_id)
        .where(
            PublicityItem.claim_id == claim_id,
            PublicityItem.status == LISTED,
            Objection.status == "upheld",
        )
        .order_by(Objection.id.desc())
        .limit(1)
    )


def objection_upheld(claim, ctx: GuardContext) -> bool:
    return upheld_objection(claim.id) is not None


def _not_upheld_text(claim, ctx: GuardContext) -> str:
    return "只有初审部门认定公示异议成立时，申报才退回重新审核"


def reopen(step) -> None:
    """The `publicity.reopen` effect: the claim leaves its list, and its event names the
    objection and the department's decision on it."""
    objection = upheld_objection(step.subject.id)
    objection.item.status = "reopened"
    decided_by = objection.resolved_by
    step.facts["publicity_objection"] = {
        "id": objection.id,
        "reference": objection.reference,
        "publicity_id": objection.item.publicity_id,
        "decided_by": decided_by.display_name or decided_by.username,
        "department": objection.department.code,
    }


def register(cat) -> None:
    cat.guard("publicity_cleared", _not_cleared_text, "publicity")(publicity_cleared)
    # Routing: no page offers the move; the decision on an objection takes it.
    cat.guard("objection_upheld", _not_upheld_text, "publicity", routing=True)(objection_upheld)
    cat.effect(REOPEN, reopen, stage="claim")
