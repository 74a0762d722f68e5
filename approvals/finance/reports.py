"""The figures officials report: claims by state, money by dimension, stage times, deadlines."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from approvals.claims.models import Claim, ClaimEvent
from approvals.db import utcnow
from approvals.extensions import db
from approvals.finance.ledger import sums_by_kind
from approvals.finance.models import BatchItem, LedgerEntry, Recovery
from approvals.money import ZERO
from approvals.policies.models import Policy
from approvals.policies.vocabulary import FUNDING_TYPES
from approvals.workflow.deadlines import RULES
from approvals.workflow.registry import workflows

# Approved for payout: the city's final yes, whether paid yet or not.
APPROVED_STATES = ("approved", "disbursed", "in_recovery", "recovered", "written_off")
DIMENSIONS = {
    "policy": "政策条款",
    "department": "主管部门",
    "funding_type": "资助类型",
    "batch": "拨付批次",
    "year": "年度",
}
# 核定 (the department's approved amount) = 已拨付 + 核减 once paid: three figures, never one.
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
            .where(Claim.state != "draft")
            .options(
                selectinload(Claim.policy).selectinload(Policy.department),
                selectinload(Claim.events),
            )
            .order_by(Claim.id)
        )
    )


def _money_by_claim() -> tuple[dict[int, Decimal], dict[int, Decimal], dict[int, Decimal]]:
    """Paid, reduced (from the ledger) and recovered amounts per claim."""
    by_claim = sums_by_kind(LedgerEntry.claim_id, LedgerEntry.kind.in_(("pay", "reduce")))
    paid = {claim_id: sums["pay"] for claim_id, sums in by_claim.items()}
    reduced = {claim_id: sums["reduce"] for claim_id, sums in by_claim.items()}
    recovered = {r.claim_id: r.repaid for r in db.session.scalars(select(Recovery))}
    return paid, reduced, recovered


def _batch_names() -> dict[int, str]:
    items = db.session.scalars(select(BatchItem).options(selectinload(BatchItem.batch)))
    return {i.claim_id: i.batch.name for i in items}


def claims_by_state() -> Table:
    engine = workflows().get("enterprise_claim")
    counts: dict[str, int] = defaultdict(int)
    for state in db.session.scalars(select(Claim.state)):
        counts[state] += 1
    table = Table("states", "各状态申报数", ["状态", "申报数"], chart_column=1)
    table.rows = [[engine.spec.label(s), counts[s]] for s in engine.spec.states if counts.get(s)]
    return table


def money_by(dimension: str, claims: list[Claim] | None = None, money=None) -> Table:
    """Requested, approved, paid, reduced and recovered amounts grouped by one dimension.

    `money` is what _money_by_claim() returns, read once when several tables are drawn.
    """
    claims = _claims() if claims is None else claims
    paid, reduced, recovered = _money_by_claim() if money is None else money
    batches = _batch_names() if dimension == "batch" else {}

    def key_of(claim: Claim) -> str:
        if dimension == "policy":
            return f"{claim.policy.code} {claim.policy.title_zh}"
        if dimension == "department":
            return claim.policy.department.name
        if dimension == "funding_type":
            return FUNDING_TYPES[claim.policy.funding_type]
        if dimension == "batch":
            return batches.get(claim.id, "未编入批次")
        return f"{claim.policy.call_year}年度"

    groups: dict[str, list] = defaultdict(lambda: [0, ZERO, ZERO, ZERO, ZERO, ZERO])
    for claim in claims:
        row = groups[key_of(claim)]
        row[0] += 1
        row[1] += claim.requested_amount
        if claim.state in APPROVED_STATES:
            row[2] += claim.approved_amount
        row[3] += paid.get(claim.id, ZERO)
        row[4] += reduced.get(claim.id, ZERO)
        row[5] += recovered.get(claim.id, ZERO)
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


def stage_durations(claims: list[Claim] | None = None) -> Table:
    """How long claims stay in each state: from entering it to leaving it (ClaimEvent times)."""
    engine = workflows().get("enterprise_claim")
    spans: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for claim in _claims() if claims is None else claims:
        events = claim.events
        for entered, left in zip(events, events[1:], strict=False):
            if entered.to_state != left.to_state:  # a repayment stays in recovery
                seconds = (left.at - entered.at).total_seconds()
                spans[entered.to_state].append((seconds, claim.number))
    table = Table(
        "stages",
        "各环节办理时长",
        ["环节", "已完成数", "中位数", "最慢", "最慢的申报", "中位数（小时）"],
        chart_column=5,
    )
    for state in engine.spec.states:
        if spans.get(state):
            times = spans[state]
            median = statistics.median(s for s, _ in times)
            slowest = max(times)
            table.rows.append(
                [
                    engine.spec.label(state),
                    len(times),
                    _hours(median),
                    _hours(slowest[0]),
                    slowest[1],
                    Decimal(median / 3600).quantize(Decimal("0.1")),
                ]
            )
    return table


def _first(events: list[ClaimEvent], triggers: tuple[str, ...]) -> datetime | None:
    return next((e.at for e in events if e.trigger in triggers), None)


def deadlines(now: datetime | None = None, claims: list[Claim] | None = None) -> Table:
    """Department review by the end of February, payout by the end of March, per call year."""
    now = now or utcnow()
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for claim in _claims() if claims is None else claims:
        year = claim.policy.call_year
        checks = [
            ("部门初审（2月底前）", "end-of-february", ("dept_approve", "dept_reject"), True),
            ("资金拨付（3月底前）", "end-of-march", ("disburse",), claim.state in APPROVED_STATES),
        ]
        for label, rule, triggers, applies in checks:
            if not applies or claim.state in ("withdrawn", "lapsed"):  # the enterprise gave up
                continue
            due = RULES[rule](year)
            done = _first(claim.events, triggers)
            row = counts[(year, label)]
            if done is not None:
                row[0 if done < due else 1] += 1
            elif claim.state == "rejected":
                continue  # rejected earlier by finance or government: nothing to pay
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
