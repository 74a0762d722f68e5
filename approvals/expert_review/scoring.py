"""Expert scoring (专家评审): the claims an expert is asked to score, the score sheet, the
scores themselves and the declaration of a conflict of interest (回避).

An expert sees a claim of a clause whose panel it sits on while the claim is being scored,
and afterwards the claims it scored; only what scoring needs (the applicant, the project,
the amount asked and the criteria), never the claim's page, whose rule gives the expert no
claim (approvals/access/rules.py). An expert who declared a conflict with the claim's
enterprise cannot score it: the rest of the panel does. The score (or declaration) that
completes the panel's scoring takes the claim's move out of expert review in the same
transaction, through the runtime's own `take()` as a review task's decision does
(approvals/workflow/tasks.py), by the system account: the claim's history, which the
applicant reads, names no expert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, func, or_, select

from approvals import limits
from approvals.claims.models import Claim
from approvals.claims.supplement import system_user
from approvals.clock import current_time
from approvals.db import transaction
from approvals.errors import Conflict, Forbidden, Invalid, NotFound
from approvals.expert_review import panels, stages
from approvals.expert_review.models import REASON_MAX, Criterion, PanelMember, Score
from approvals.expert_review.models import Conflict as Declared
from approvals.extensions import db
from approvals.i18n import N_
from approvals.workflow import runtime

NOT_ASSIGNED = N_("申报不存在或未分配给您评审")
EXPERTS_ONLY = N_("只有评审专家可以评分")
SCORING_OVER = N_("申报已离开专家评审环节，评分不能再修改")
RECUSED = N_("您已声明与该申报单位存在利益冲突，须回避，不能评审该申报")
ALREADY_DECLARED = N_("您已声明与该申报单位存在利益冲突")
REASON_NEEDED = N_("请填写利益冲突的情况")
INCOMPLETE = N_("尚有评审专家未完成评分")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Sheet:
    """What an expert sees of one claim: the claim's scoring facts, the criteria, its own
    points so far, whether it must recuse itself, and whether scoring is still open."""

    claim: Claim
    criteria: list[Criterion]
    points: dict[str, int]
    recused: bool
    open: bool


def require_expert(actor) -> None:
    if actor.role != panels.EXPERT:
        raise Forbidden(EXPERTS_ONLY)


def assigned_clause(actor):
    """SQL on Claim: the claims `actor` is asked to score or has scored."""
    mine = select(PanelMember.policy_id).where(PanelMember.expert_id == actor.id)
    scored = exists().where(Score.claim_id == Claim.id, Score.expert_id == actor.id)
    return Claim.policy_id.in_(mine) & or_(stages.at_clause(Claim, stages.CLOSE), scored)


def assigned(actor) -> list[Sheet]:
    """The expert's claims, oldest submission first, each with its sheet."""
    require_expert(actor)
    query = select(Claim).where(assigned_clause(actor)).order_by(Claim.submitted_at, Claim.id)
    return [_sheet(actor, claim) for claim in db.session.scalars(query)]


def _load(actor, claim_id: int) -> Claim:
    require_expert(actor)
    claim = db.session.scalar(select(Claim).where(Claim.id == claim_id, assigned_clause(actor)))
    if claim is None:
        raise NotFound(NOT_ASSIGNED)
    return claim


def _sheet(actor, claim: Claim) -> Sheet:
    query = (
        select(Criterion.key, Score.points)
        .join(Score, Score.criterion_id == Criterion.id)
        .where(Score.claim_id == claim.id, Score.expert_id == actor.id)
    )
    return Sheet(
        claim=claim,
        criteria=panels.criteria(claim.policy_id),
        points=dict(db.session.execute(query).all()),
        recused=panels.conflict(actor.id, claim.enterprise_id) is not None,
        open=stages.is_at(claim, stages.CLOSE),
    )


def sheet(actor, claim_id: int) -> Sheet:
    return _sheet(actor, _load(actor, claim_id))


def _points(criteria: list[Criterion], given) -> dict[int, int]:
    """The points by criterion id, every criterion given once, each within its maximum."""
    if not isinstance(given, dict):
        raise Invalid("请按评分标准逐项评分", fields={"points": "应为各评分标准的分值"})
    problems, points = {}, {}
    for criterion in criteria:
        value = given.get(criterion.key)
        if isinstance(value, bool) or not isinstance(value, int):
            problems[criterion.key] = f"请填写“{criterion.label_zh}”的得分（整数）"
        elif not 0 <= value <= criterion.max_points:
            problems[criterion.key] = (
                f"“{criterion.label_zh}”的得分应在 0 至 {criterion.max_points} 分之间"
            )
        else:
            points[criterion.id] = value
    for key in sorted(set(given) - {c.key for c in criteria}):
        problems[str(key)[:40]] = "不是该政策条款的评分标准"
    if problems:
        raise Invalid("；".join(problems.values()), fields=problems)
    return points


def _open_for_scoring(claim: Claim) -> None:
    if not stages.is_at(claim, stages.CLOSE):
        raise Conflict(SCORING_OVER, code="scoring_closed")


def _lock(claim: Claim) -> None:
    """The claim's row until the transaction ends, read afresh (as approvals/workflow/
    tasks.py does): two last scores at once close the review once."""
    db.session.execute(
        select(Claim)
        .where(Claim.id == claim.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def score(actor, claim_id: int, given, *, now: datetime | None = None) -> Sheet:
    """Record the expert's points on every criterion (replacing its earlier ones) and, when
    that completes the panel's scoring, move the claim on to the ranking."""
    claim = _load(actor, claim_id)
    _open_for_scoring(claim)
    if panels.conflict(actor.id, claim.enterprise_id) is not None:
        raise Forbidden(RECUSED)
    points = _points(panels.criteria(claim.policy_id), given)
    now, closer = now or current_time(), system_user()
    with runtime.stale_guard(), transaction():
        _lock(claim)
        _open_for_scoring(claim)
        mine = {
            s.criterion_id: s
            for s in db.session.scalars(
                select(Score).where(Score.claim_id == claim.id, Score.expert_id == actor.id)
            )
        }
        for criterion_id, value in points.items():
            row = mine.get(criterion_id) or Score(
                claim_id=claim.id, expert_id=actor.id, criterion_id=criterion_id
            )
            row.points, row.scored_at = value, now
            db.session.add(row)
        db.session.flush()
        _close_if_complete(closer, claim, now)
    return _sheet(actor, claim)


def declare_conflict(actor, claim_id: int, reason, *, now: datetime | None = None) -> Sheet:
    """The expert declares a conflict of interest with the claim's enterprise (it then scores
    none of its claims, and its points on them no longer count); the rest of the panel may
    thereby have completed the scoring."""
    claim = _load(actor, claim_id)
    _open_for_scoring(claim)
    text = reason.strip() if isinstance(reason, str) else ""
    problem = None if text else REASON_NEEDED
    if len(text) > REASON_MAX:
        problem = f"利益冲突情况不能超过{REASON_MAX}字"
    problem = problem or limits.text_problem(text)
    if problem:
        raise Invalid(problem, fields={"reason": problem})
    if panels.conflict(actor.id, claim.enterprise_id) is not None:
        raise Conflict(ALREADY_DECLARED, code="conflict_declared")
    now, closer = now or current_time(), system_user()
    with runtime.stale_guard(), transaction():
        _lock(claim)
        _open_for_scoring(claim)
        db.session.add(
            Declared(
                expert_id=actor.id,
                enterprise_id=claim.enterprise_id,
                claim_id=claim.id,
                reason=text,
                declared_at=now,
            )
        )
        db.session.flush()
        _close_if_complete(closer, claim, now)
    return _sheet(actor, claim)


def _close_if_complete(closer, claim: Claim, now: datetime) -> None:
    if complete(claim):
        runtime.take(closer, claim, stages.trigger(claim, stages.CLOSE), {}, now)


def totals(claim_ids: list[int]) -> dict[int, dict[int, int]]:
    """Each claim's complete score sheets: {claim id: {expert id: total points}}, counting an
    expert only once it scored every criterion of the clause."""
    needed = (
        select(func.count(Criterion.id))
        .where(Criterion.policy_id == Claim.policy_id)
        .scalar_subquery()
    )
    query = (
        select(Score.claim_id, Score.expert_id, func.sum(Score.points))
        .join(Claim, Claim.id == Score.claim_id)
        .where(Score.claim_id.in_(claim_ids))
        .group_by(Score.claim_id, Score.expert_id, Claim.policy_id)
        .having(func.count(Score.id) == needed)
    )
    out: dict[int, dict[int, int]] = {}
    for claim_id, expert_id, total in db.session.execute(query):
        out.setdefault(claim_id, {})[expert_id] = int(total)
    return out


def counted(claim: Claim, sheets: dict[int, int]) -> dict[int, int]:
    """The totals that count for the claim: those of its non-recused panel members."""
    return {m.id: sheets[m.id] for m in panels.scorers(claim) if m.id in sheets}


def mean(points: dict[int, int]) -> Decimal | None:
    if not points:
        return None
    return (Decimal(sum(points.values())) / len(points)).quantize(CENT, ROUND_HALF_UP)


def complete(claim: Claim) -> bool:
    """Every non-recused panel member (at least one) has scored every criterion."""
    people = panels.scorers(claim)
    if not people or not panels.criteria(claim.policy_id):
        return False
    done = counted(claim, totals([claim.id]).get(claim.id, {}))
    return len(done) == len(people)


def register(cat) -> None:
    def explain(claim, ctx) -> str:
        return INCOMPLETE

    cat.guard("expert_scores_complete", explain)(lambda claim, ctx: complete(claim))
