"""The figures officials report: claims by state, money by dimension, stage times, deadlines.

Every table covers the claims of every loaded workflow version; what a state means (not
yet filed, awaiting payout, paid, given up) is read from its tags in the claim's own version.
A claim counts for the department that reviews it now (Claim.department: handing it on, 转办,
moves it), not the department its policy names.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.tagged import in_states_tagged, is_tagged
from approvals.db import utcnow
from approvals.extensions import db
from approvals.finance.ledger import sums_by_kind
from approvals.finance.models import BatchItem, LedgerEntry, Recovery
from approvals.money import ZERO
from approvals.policies.vocabulary import FUNDING_TYPES
from approvals.workflow.deadlines import RULES
from approvals.workflow.registry import engine_for, workflows
from approvals.workflow.spec import WorkflowSpec

DIMENSIONS = {
    "policy": "政策条款",
    "department": "主管部门",
    "funding_type": "资助类型",
    "batch": "拨付批次",
    "year": "年度",
}
# 核定 (the department's assessed amount) = 已拨付 + 核减 once paid: three figures, never one.
# A claim's 核定 counts once it waits for payout or is paid (待拨付及以后), whatever its
# workflow calls those states; a recognition that pays nothing has no 核定 here.
ASSESSED = ("payable", "paid")
MONEY_HEADERS = ["申报项目数", "申报金额", "核定金额", "已拨付", "核减金额", "已追回"]


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart_column: int | None = None  # which column the bar chart draws
    note: str = ""


def _claims() -> list[Claim]:
    return list(
        db.session.scalars(
            select(Claim)
            .where(~in_states_tagged("unsubmitted"))
            .options(
                selectinload(Claim.policy),
                selectinload(Claim.department),
                selectinload(Claim.events),
            )
            .order_by(Claim.id)
        )
    )


def _money_by_claim() -> tuple[dict[int, Decimal], dict[int, Decimal], dict[int, Decimal]]:
    """Paid, reduced (from the ledger) and repaid (追回) amounts per claim."""
    by_claim = sums_by_kind(LedgerEntry.claim_id, LedgerEntry.kind.in_(("pay", "reduce")))
    paid = {claim_id: sums["pay"] for claim_id, sums in by_claim.items()}
    reduced = {claim_id: sums["reduce"] for claim_id, sums in by_claim.items()}
    repaid = {r.claim_id: r.repaid for r in db.session.scalars(select(Recovery))}
    return paid, reduced, repaid


def _batch_names() -> dict[int, str]:
    items = db.session.scalars(select(BatchItem).options(selectinload(BatchItem.batch)))
    return {i.claim_id: i.batch.name for i in items}


def _state_labels() -> list[str]:
    """Every state's label, each once, in the order of the workflow files."""
    return list(dict.fromkeys(e.spec.label(s) for e in workflows().values() for s in e.spec.states))


def claims_by_state() -> Table:
    """Claims per state, by label: versions of a workflow that share a state share its row."""
    counts: dict[str, int] = defaultdict(int)
    rows = db.session.execute(
        select(Claim.workflow, Claim.workflow_version, Claim.state, func.count()).group_by(
            Claim.workflow, Claim.workflow_version, Claim.state
        )
    )
    for workflow, version, state, count in rows:
        counts[workflows().get(workflow, version).spec.label(state)] += count
    table = Table("states", "各状态申报数", ["状态", "申报数"], chart_column=1)
    table.rows = [[label, counts[label]] for label in _state_labels() if counts.get(label)]
    return table


def money_by(dimension: str, claims: list[Claim] | None = None, money=None) -> Table:
    """Requested, assessed (核定), paid, reduced and repaid amounts grouped by one dimension.

    `money` is what _money_by_claim() returns, read once when several tables are drawn.
    """
    claims = _claims() if claims is None else claims
    paid, reduced, repaid = _money_by_claim() if money is None else money
    batches = _batch_names() if dimension == "batch" else {}

    def key_of(claim: Claim) -> str:
        if dimension == "policy":
            return f"{claim.policy.code} {claim.policy.title_zh}"
        if dimension == "department":
            return claim.department.name
        if dimension == "funding_type":
            return FUNDING_TYPES[claim.policy.funding_type]
        if dimension == "batch":
            return batches.get(claim.id, "未编入批次")
        return f"{claim.policy.call_year}年度"

    groups: dict[str, list] = defaultdict(lambda: [0, ZERO, ZERO, ZERO, ZERO, ZERO])
    for claim in claims:
        if claim.requested_amount is None:
            continue  # a recognition (税收分成认定) asks for no money: not a money figure
        row = groups[key_of(claim)]
        row[0] += 1
        row[1] += claim.requested_amount
        if is_tagged(claim, *ASSESSED):
            row[2] += claim.approved_amount
        row[3] += paid.get(claim.id, ZERO)
        row[4] += reduced.get(claim.id, ZERO)
        row[5] += repaid.get(claim.id, ZERO)
    table = Table(
        dimension,
        f"按{DIMENSIONS[dimension]}统计金额（元）",
        [DIMENSIONS[dimension], *MONEY_HEADERS],
        chart_column=4,
        note=(
            "申报金额含已提交的全部申报；核定金额为已审定（待拨付及以后）的申报；"
            "已拨付的申报核定金额 = 已拨付 + 核减金额（按比例核减，不再拨付）；草稿不计。"
        ),
    )
    table.rows = [[k, *v] for k, v in sorted(groups.items())]
    if table.rows:
        table.rows.append(["合计", *[sum(col) for col in list(zip(*groups.values(), strict=True))]])
    return table


def _hours(seconds: float) -> str:
    days, rest = divmod(seconds / 3600, 24)
    return f"{int(days)}天{rest:.1f}小时" if days else f"{rest:.1f}小时"


def _moves(events: list[ClaimEvent]) -> list[ClaimEvent]:
    """The events that change the claim's state. A step that stays (a review task decided
    before its rule holds, a repayment, handing it to another department) is work done
    inside the state: the time in it runs from entering to leaving, not from that step."""
    return [e for e in events if e.from_state != e.to_state]


def stage_durations(claims: list[Claim] | None = None) -> Table:
    """How long claims stay in each state: from entering it to leaving it (ClaimEvent times)."""
    spans: dict[str, list[tuple[float, str]]] = defaultdict(list)  # by the state's label
    for claim in _claims() if claims is None else claims:
        spec, moves = engine_for(claim).spec, _moves(claim.events)
        for entered, left in zip(moves, moves[1:], strict=False):
            seconds = (left.at - entered.at).total_seconds()
            spans[spec.label(entered.to_state)].append((seconds, claim.number))
    table = Table(
        "stages",
        "各环节办理时长",
        ["环节", "已完成数", "中位数", "最慢", "最慢的申报", "中位数（小时）"],
        chart_column=5,
    )
    for label in _state_labels():
        if spans.get(label):
            times = spans[label]
            median = statistics.median(s for s, _ in times)
            slowest = max(times)
            table.rows.append(
                [
                    label,
                    len(times),
                    _hours(median),
                    _hours(slowest[0]),
                    slowest[1],
                    Decimal(median / 3600).quantize(Decimal("0.1")),
                ]
            )
    return table


# How a deadline rule (the `deadline` of a workflow state) reads in a row's name.
RULE_TEXT = {"end-of-february": "2月底前", "end-of-march": "3月底前", "end-of-december": "12月底前"}


def _rule_of(spec: WorkflowSpec, states) -> str | None:
    """The deadline rule that the first of `states` to carry one carries."""
    return next((spec.states[s].deadline for s in states if spec.states[s].deadline), None)


def _department_review(spec: WorkflowSpec, events: list[ClaimEvent]):
    """The rule of the department's step, and when the claim first left the states it
    governs (a return for supplement stays inside them: the department has not decided)."""
    rule = _rule_of(spec, [s.name for s in spec.states.values() if s.queue == "department"])

    def governed(state: str) -> bool:
        return state in spec.states and spec.states[state].deadline == rule

    done = next((e.at for e in events if governed(e.from_state) and not governed(e.to_state)), None)
    return rule, done


def _payout(spec: WorkflowSpec, events: list[ClaimEvent]):
    """The rule of the wait for payout, and when the claim first reached a paid state."""
    rule = _rule_of(spec, spec.states_tagged("payable"))
    return rule, next((e.at for e in events if spec.has_tag(e.to_state, "paid")), None)


def deadlines(now: datetime | None = None, claims: list[Claim] | None = None) -> Table:
    """Department review by its deadline, payout by its own, per call year: each rule is the
    `deadline` the workflow gives the department's states and the states awaiting payout."""
    now = now or utcnow()
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for claim in _claims() if claims is None else claims:
        if is_tagged(claim, "given_up"):  # the claimant gave up, or its supplement period passed
            continue
        year, spec = claim.policy.call_year, engine_for(claim).spec
        checks = [("部门初审", *_department_review(spec, claim.events), True)]
        checks.append(("资金拨付", *_payout(spec, claim.events), is_tagged(claim, *ASSESSED)))
        for step, rule, done, applies in checks:
            if not applies or rule is None:
                continue
            due = RULES[rule](year)
            row = counts[(year, f"{step}（{RULE_TEXT.get(rule, rule)}）")]
            if done is not None:
                row[0 if done < due else 1] += 1
            elif is_tagged(claim, "refused"):
                continue  # refused earlier by finance or government: nothing to pay
            else:
                row[3 if now >= due else 2] += 1
    table = Table(
        "deadlines",
        "时限执行情况",
        ["年度", "时限", "按期办结", "超期办结", "办理中（未到期）", "已超期未办", "按期率"],
        chart_column=None,
    )
    for (year, label), (ok, late, open_, overdue) in sorted(counts.items()):
        closed = ok + late + overdue
        rate = f"{ok * 100 / closed:.1f}%" if closed else "—"
        table.rows.append([f"{year}年度", label, ok, late, open_, overdue, rate])
    return table


def all_tables() -> list[Table]:
    claims = _claims()  # loaded once, with their policies and events, for every table
    tables = [claims_by_state()]
    money = _money_by_claim()
    tables += [money_by(d, claims, money) for d in DIMENSIONS]
    tables += [stage_durations(claims), deadlines(claims=claims)]
    return tables


def table(key: str) -> Table | None:
    return next((t for t in all_tables() if t.key == key), None)
