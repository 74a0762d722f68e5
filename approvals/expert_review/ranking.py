"""择优立项: the department ranks the claims of a special-fund clause and call year by their
mean expert score and funds the best within the clause's budget for the year.

The ranking holds every claim that reached it: those awaiting it and those it already
decided (funded or not selected), so that it reads the same before, during and after the
department acts. Claims are ordered by mean score (the non-recused experts' complete sheets
only), then by who submitted first, then by id; they are funded in that order at their
assessed amount (核定金额, set at the preliminary check) for as long as the running total
stays within the year's budget for the clause (its full amount: a special fund is spent
through its ranking), and the first claim that would exceed it is the cut-off (立项分数线):
it and every claim below it are not selected, even a smaller one that would still fit,
since merit, not size, decides. Each claim moves through the one door (advance()), its
condition (`ranked_within_budget` or `ranked_below_cutoff`) re-reading the ranking, so a
claim can only ever be moved to its own side of the cut-off, from the ranking page or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import exists, func, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.errors import Conflict, Forbidden, NotFound
from approvals.expert_review import panels, scoring, stages
from approvals.extensions import db
from approvals.finance.models import Budget
from approvals.i18n import N_
from approvals.policies.models import Policy
from approvals.workflow import runtime

NOT_OURS = N_("该政策条款不属于本部门")
NOT_SPECIAL_FUND = N_("该政策条款不实行专家评审")
NO_BUDGET = N_("该政策条款本年度未安排专项资金预算")
NOTHING_TO_RANK = N_("没有待择优立项的申报")
CHANGED = N_("排名已变化，请刷新后重新查看")
STILL_SCORING = N_("尚有申报正在专家评审，评审全部完成后方可择优立项")
VIEWERS = ("reviewer", "admin")


@dataclass
class Row:
    claim: Claim
    totals: dict[int, int]  # the counted experts' totals, by expert id
    recused: set[int]
    mean: Decimal | None
    rank: int = 0
    running: Decimal = Decimal("0.00")  # the funded total up to and including this claim
    funded: bool = False  # within the budget, in rank order

    @property
    def amount(self) -> Decimal:
        return self.claim.approved_amount or Decimal("0.00")

    @property
    def waiting(self) -> bool:
        """Still awaiting the department's 择优立项 (not yet moved either way)."""
        return stages.is_at(self.claim, stages.FUND)


@dataclass
class Ranking:
    policy: Policy
    budget: Budget | None
    panel: list
    criteria: list
    rows: list[Row] = field(default_factory=list)
    scoring: int = 0  # claims of the clause still being scored

    @property
    def waiting(self) -> list[Row]:
        return [r for r in self.rows if r.waiting]

    @property
    def funded_total(self) -> Decimal:
        return sum((r.amount for r in self.rows if r.funded), Decimal("0.00"))

    @property
    def cutoff(self) -> Row | None:
        """The first claim that did not fit: the funding line runs above it."""
        return next((r for r in self.rows if not r.funded), None)

    def row_of(self, claim_id: int) -> Row | None:
        return next((r for r in self.rows if r.claim.id == claim_id), None)


def _decided_clause():
    """SQL on Claim: the ranking already moved the claim (funded or not selected)."""
    taken = stages.triggers(stages.FUND) + stages.triggers(stages.NOT_SELECTED)
    return exists().where(ClaimEvent.claim_id == Claim.id, ClaimEvent.trigger.in_(taken))


def compute(policy: Policy) -> Ranking:
    """The clause's ranking for its call year, as the database has it now."""
    budget = db.session.scalar(
        select(Budget).where(Budget.policy_id == policy.id, Budget.year == policy.call_year)
    )
    ranking = Ranking(policy, budget, panels.members(policy.id), panels.criteria(policy.id))
    of_policy = Claim.policy_id == policy.id
    ranking.scoring = db.session.scalar(
        select(func.count(Claim.id)).where(of_policy, stages.at_clause(Claim, stages.CLOSE))
    )
    query = select(Claim).where(of_policy, stages.at_clause(Claim, stages.FUND) | _decided_clause())
    claims = list(db.session.scalars(query))
    sheets = scoring.totals([c.id for c in claims])
    for claim in claims:
        counted = scoring.counted(claim, sheets.get(claim.id, {}))
        ranking.rows.append(Row(claim, counted, panels.recused(claim), scoring.mean(counted)))
    ranking.rows.sort(
        key=lambda r: (
            -(r.mean or Decimal(0)),
            r.claim.submitted_at or r.claim.created_at,
            r.claim.id,
        )
    )
    limit = budget.amount if budget is not None else Decimal("0.00")
    running, cut = Decimal("0.00"), False
    for rank, row in enumerate(ranking.rows, start=1):
        row.rank = rank
        if not cut and running + row.amount <= limit:
            running += row.amount
            row.funded = True
        else:
            cut = True
        row.running = running
    return ranking


def clause_for(actor, code: str) -> Policy:
    """The special-fund clause `code`, if `actor` may see its ranking: a reviewer of the
    clause's department, or the administrator."""
    policy = db.session.scalar(select(Policy).where(Policy.code == code))
    if policy is None:
        raise NotFound(N_("政策条款不存在"))
    if actor.role not in VIEWERS or (
        actor.role == "reviewer" and actor.department_id != policy.department_id
    ):
        raise Forbidden(NOT_OURS)
    if not stages.sources_of_workflow(policy.workflow, stages.FUND):
        raise NotFound(NOT_SPECIAL_FUND)
    return policy


def for_department(actor, code: str) -> Ranking:
    """The ranking of the clause `code` as `actor` may see it (clause_for)."""
    return compute(clause_for(actor, code))


def _opinion(ranking: Ranking, row: Row) -> str:
    score = f"综合得分{row.mean}分" if row.mean is not None else "无有效评分"
    place = f"在本年度{len(ranking.rows)}件申报中排名第{row.rank}位"
    if row.funded:
        granted = f"核定资助金额{row.amount:,.2f}元"
        return f"经专家评审，{score}，{place}，在专项资金预算额度内择优立项，{granted}。"
    return f"经专家评审，{score}，{place}，本年度专项资金预算额度已安排完毕，未入选。"


def fund(actor, code: str, seen: list[int] | None = None) -> Ranking:
    """择优立项: move every claim awaiting the ranking, best first, to its side of the cut-off,
    each through advance() with the ranking's opinion. `seen`: the waiting claims' ids in the
    order the department was shown them; the ranking must still read so. Each claim is its
    own transaction: a failure stops there, and acting again continues from the claims still
    waiting, on the same ranking."""
    ranking = for_department(actor, code)
    if ranking.budget is None:
        raise Conflict(NO_BUDGET, code="no_budget")
    if ranking.scoring:
        raise Conflict(STILL_SCORING, code="still_scoring")
    waiting = ranking.waiting
    if not waiting:
        raise Conflict(NOTHING_TO_RANK, code="nothing_to_rank")
    if seen is not None and seen != [r.claim.id for r in waiting]:
        raise Conflict(CHANGED, code="ranking_changed")
    for row in waiting:
        effect = stages.FUND if row.funded else stages.NOT_SELECTED
        runtime.advance(
            actor,
            row.claim.id,
            stages.trigger(row.claim, effect),
            version=row.claim.version,
            comment=_opinion(ranking, row),
        )
    return compute(ranking.policy)


def _place(claim: Claim) -> tuple[Ranking, Row | None]:
    ranking = compute(claim.policy)
    return ranking, ranking.row_of(claim.id)


def within_budget(claim: Claim, ctx) -> bool:
    ranking, row = _place(claim)
    return not ranking.scoring and row is not None and row.funded


def below_cutoff(claim: Claim, ctx) -> bool:
    ranking, row = _place(claim)
    return not ranking.scoring and row is not None and not row.funded


def _explain(funded: bool):
    def explain(claim: Claim, ctx) -> str:
        ranking, row = _place(claim)
        if ranking.scoring:
            return STILL_SCORING
        if funded:
            return N_("该申报排在立项分数线以下，超出专项资金预算额度")
        return N_("该申报在专项资金预算额度内，应予立项")

    return explain


def register(cat) -> None:
    cat.guard("ranked_within_budget", _explain(True))(within_budget)
    cat.guard("ranked_below_cutoff", _explain(False))(below_cutoff)
