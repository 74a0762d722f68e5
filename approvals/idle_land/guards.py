"""The idle-land guard: a report goes to the land bureau only if the parcel meets one of
the criteria (criteria.py) on the day of the report.

Refused rather than flagged: the criteria are the whole legal ground of the procedure, and
the township enters the very facts they are checked against; a report meeting none would
start a case against a land user that the land bureau could only close again. The
refusal says, criterion by criterion, what the facts show, so that a township that
believes otherwise corrects the facts or reports again once the years have passed.
"""

from __future__ import annotations

from approvals.idle_land import criteria
from approvals.idle_land.notice import parcel_of
from approvals.workflow.guards import GuardContext


def idle_criterion_met(claim, ctx: GuardContext) -> bool:
    parcel = parcel_of(claim.id)
    return parcel is not None and bool(criteria.met(parcel, ctx.today))


def _explain(claim, ctx: GuardContext) -> str:
    parcel = parcel_of(claim.id)
    if parcel is None:
        return "该报送没有地块信息"
    checked = "；".join(
        f"{f.criterion.label_zh}——{f.detail}" for f in criteria.check(parcel, ctx.today)
    )
    return f"该地块不符合任何一项闲置工业用地认定标准，不能报送：{checked}"


def register(cat) -> None:
    cat.guard("idle_criterion_met", _explain, on="parcel")(idle_criterion_met)
