"""The figures officials report: claims by state, money by dimension, stage times, deadlines.

Every table covers the claims of every loaded workflow version; what a state means (not
yet filed, awaiting payout, paid, given up) is read from its tags in the claim's own version.
A claim counts for the department that reviews it now (Claim.department: handing it on, 转办,
moves it), not the department its policy names.

Each table is a few grouped queries (issue 14): the rows read back are groups, never claims
or events, so a report costs the same number of statements at 3 claims as at 1M. Tags become
lists of state names per (workflow, version) inside the SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, and_, case, cast, column, func, literal, or_, select
from sqlalchemy import table as sql_table
from sqlalchemy.orm import aliased

from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.tagged import in_states_tagged
from approvals.clock import LOCAL
from approvals.db import UTCDateTime, utcnow
from approvals.extensions import db
from approvals.finance.models import Batch, BatchItem, LedgerEntry, Recovery, chinese_number
from approvals.finance.report_sql import (
    department_review,
    filed_scope,
    label_of,
    loaded_specs,
    median_of,
    of_version,
    payout_step,
    ranked_spans,
    seconds_between,
    state_labels,
)
from approvals.organisations.models import Department
from approvals.policies.models import Policy
from approvals.policies.vocabulary import FUNDING_TYPES
from approvals.workflow.deadlines import RULES
from approvals.workflow.registry import workflows

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


def _cents(amount):
    """Σ of money as whole fen: SQLite sums NUMERIC as floats, integers it sums exactly."""
    return func.coalesce(func.sum(cast(func.round(amount * 100), BigInteger)), 0)


def _yuan(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


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
    table.rows = [[label, counts[label]] for label in state_labels() if counts.get(label)]
    return table


# Per dimension: the columns grouped on, and how one group's values read as its row's name.
_KEYS: dict[str, tuple[tuple, Callable[..., str]]] = {
    "policy": ((Policy.code, Policy.title_zh), lambda code, title: f"{code} {title}"),
    "department": ((Department.name,), lambda name: name),
    "funding_type": ((Policy.funding_type,), lambda kind: FUNDING_TYPES[kind]),
    "batch": (
        (Batch.year, Batch.seq),
        lambda year, seq: "未编入批次" if year is None else f"{year}年第{chinese_number(seq)}批",
    ),
    "year": ((Policy.call_year,), lambda year: f"{year}年度"),
}


def money_by(dimension: str, claims: list[Claim] | None = None) -> Table:
    """Requested, assessed (核定), paid, reduced and repaid amounts grouped by one dimension."""
    columns, name_of = _KEYS[dimension]
    ledger = (
        select(
            LedgerEntry.claim_id,
            _cents(case((LedgerEntry.kind == "pay", LedgerEntry.amount))).label("paid"),
            _cents(case((LedgerEntry.kind == "reduce", LedgerEntry.amount))).label("reduced"),
        )
        .where(LedgerEntry.kind.in_(("pay", "reduce")))
        .group_by(LedgerEntry.claim_id)
        .subquery()
    )
    assessed = case((in_states_tagged(*ASSESSED), Claim.approved_amount))
    query = (
        select(
            *columns,
            func.count(),
            _cents(Claim.requested_amount),
            _cents(assessed),
            func.coalesce(func.sum(ledger.c.paid), 0),
            func.coalesce(func.sum(ledger.c.reduced), 0),
            _cents(Recovery.repaid),
        )
        .select_from(Claim)
        .join(Policy, Policy.id == Claim.policy_id)
        .join(Department, Department.id == Claim.department_id)
        .outerjoin(ledger, ledger.c.claim_id == Claim.id)
        .outerjoin(Recovery, Recovery.claim_id == Claim.id)
        .outerjoin(BatchItem, BatchItem.claim_id == Claim.id)
        .outerjoin(Batch, Batch.id == BatchItem.batch_id)
        # a recognition (税收分成认定) asks for no money: not a money figure
        .where(*filed_scope(claims), Claim.requested_amount.is_not(None))
        .group_by(*columns)
    )
    groups: dict[str, list] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for row in db.session.execute(query):
        # Two groups may share a name (two clauses titled alike): they share a row, as before.
        sums = groups[name_of(*row[: len(columns)])]
        for i, value in enumerate(row[len(columns) :]):
            sums[i] += int(value)
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
    table.rows = [[k, n, *map(_yuan, cents)] for k, (n, *cents) in sorted(groups.items())]
    if table.rows:
        totals = [sum(col) for col in zip(*groups.values(), strict=True)]
        table.rows.append(["合计", totals[0], *map(_yuan, totals[1:])])
    return table


def _hours(seconds: float) -> str:
    days, rest = divmod(seconds / 3600, 24)
    return f"{int(days)}天{rest:.1f}小时" if days else f"{rest:.1f}小时"


def stage_durations(claims: list[Claim] | None = None) -> Table:
    """How long claims stay in each state: from entering it to leaving it (ClaimEvent times).

    Only the events that change the state count. A step that stays (a review task decided
    before its rule holds, a repayment, handing it to another department) is work done
    inside the state: the time in it runs from entering to leaving, not from that step."""
    moves = (
        select(
            ClaimEvent.claim_id,
            ClaimEvent.to_state,
            ClaimEvent.at,
            func.lead(ClaimEvent.at)
            .over(partition_by=ClaimEvent.claim_id, order_by=ClaimEvent.id)
            .label("left_at"),
        )
        .where(ClaimEvent.from_state != ClaimEvent.to_state)
        .subquery()
    )
    # Labelled in a subquery: PostgreSQL would not match a CASE repeated in GROUP BY (its
    # parameters are numbered apart).
    spans = (
        select(
            label_of(moves.c.to_state).label("label"),
            seconds_between(moves.c.at, moves.c.left_at).label("seconds"),
            Claim.number,
        )
        .join(Claim, Claim.id == moves.c.claim_id)
        .where(*filed_scope(claims), moves.c.left_at.is_not(None))
        .subquery()
    )
    ranked = ranked_spans(spans)
    rows = db.session.execute(
        select(
            ranked.c.label,
            func.count(),
            median_of(ranked),
            func.max(ranked.c.seconds),
            func.max(case((ranked.c.slowest == 1, ranked.c.number))),
        ).group_by(ranked.c.label)
    )
    found = {row[0]: row[1:] for row in rows}
    table = Table(
        "stages",
        "各环节办理时长",
        ["环节", "已完成数", "中位数", "最慢", "最慢的申报", "中位数（小时）"],
        chart_column=5,
    )
    for label in state_labels():
        if label in found:
            count, median, slowest, number = found[label]
            median = float(median)
            table.rows.append(
                [
                    label,
                    count,
                    _hours(median),
                    _hours(float(slowest)),
                    number,
                    Decimal(median / 3600).quantize(Decimal("0.1")),
                ]
            )
    return table


# How a deadline rule (the `deadline` of a workflow state) reads in a row's name.
RULE_TEXT = {"end-of-february": "2月底前", "end-of-march": "3月底前", "end-of-december": "12月底前"}


def _check_counts(check, applies, claims, years: list[int]) -> dict[tuple[int, str, str], int]:
    """Claims per (call year, rule, outcome) of one check; `check(spec)` gives the version's
    rule and its finishing event, the first such event by id (as the claim's history reads)."""
    rules = []  # (spec, rule) of the versions the check applies to
    finishing = []
    for spec in loaded_specs():
        rule, event = check(spec)
        if rule is not None:
            rules.append((spec, rule))
            finishing.append(and_(of_version(spec), event))
    first = (
        select(ClaimEvent.claim_id, func.min(ClaimEvent.id).label("id"))
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .where(or_(*finishing) if finishing else literal(False))
        .group_by(ClaimEvent.claim_id)
        .subquery()
    )
    done = aliased(ClaimEvent)
    due = case(
        *[
            (and_(of_version(spec), Policy.call_year == y), literal(RULES[rule](y), UTCDateTime))
            for spec, rule in rules
            for y in years
        ]
    )
    outcome = case(
        (done.at.is_not(None) & (done.at < due), "ok"),
        (done.at.is_not(None), "late"),
        (in_states_tagged("refused"), "refused"),  # refused earlier: nothing to pay
        else_="open",
    )
    rule_of = case(*[(of_version(spec), rule) for spec, rule in rules])
    rows = (
        select(Policy.call_year.label("year"), rule_of.label("rule"), outcome.label("outcome"))
        .select_from(Claim)
        .join(Policy, Policy.id == Claim.policy_id)
        .outerjoin(first, first.c.claim_id == Claim.id)
        .outerjoin(done, done.id == first.c.id)
        # the claimant gave up, or its supplement period passed
        .where(*filed_scope(claims), ~in_states_tagged("given_up"), applies, rule_of.is_not(None))
        .subquery()
    )
    grouped = select(rows.c.year, rows.c.rule, rows.c.outcome, func.count()).group_by(
        rows.c.year, rows.c.rule, rows.c.outcome
    )
    return {(y, r, o): n for y, r, o, n in db.session.execute(grouped)}


def deadlines(now: datetime | None = None, claims: list[Claim] | None = None) -> Table:
    """Department review by its deadline, payout by its own, per call year: each rule is the
    `deadline` the workflow gives the department's states and the states awaiting payout."""
    now = now or utcnow()
    years = list(db.session.scalars(select(Policy.call_year).distinct()))
    checks = [
        ("部门初审", department_review, literal(True)),
        ("资金拨付", payout_step, in_states_tagged(*ASSESSED)),
    ]
    counts: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for step, check, applies in checks:
        for (year, rule, outcome), n in _check_counts(check, applies, claims, years).items():
            if outcome == "refused":
                continue
            row = counts[(year, f"{step}（{RULE_TEXT.get(rule, rule)}）")]
            if outcome == "open" and now >= RULES[rule](year):
                outcome = "overdue"
            row[("ok", "late", "open", "overdue").index(outcome)] += n
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


def promises(now: datetime | None = None) -> Table:
    """兑现时限 per clause: of the claims accepted under a promise (approvals/claims/promise.py),
    how many were paid by its last day, after it, are still in time, or are past it unpaid.
    A refused claim, or one its enterprise gave up, broke no promise and is not counted."""
    today = (now or utcnow()).astimezone(LOCAL).date()
    open_ = Claim.promise_kept.is_(None)
    query = (
        select(
            Policy.code,
            Policy.title_zh,
            func.count(),
            func.count(case((Claim.promise_kept.is_(True), 1))),
            func.count(case((Claim.promise_kept.is_(False), 1))),
            func.count(case((and_(open_, Claim.promise_due >= today), 1))),
            func.count(case((and_(open_, Claim.promise_due < today), 1))),
        )
        .join(Policy, Policy.id == Claim.policy_id)
        .where(Claim.promise_due.is_not(None), ~in_states_tagged("refused", "given_up"))
        .group_by(Policy.code, Policy.title_zh)
        .order_by(Policy.code)
    )
    table = Table(
        "promises",
        "兑现时限执行情况",
        [
            "条款",
            "已受理",
            "按时兑现",
            "超时兑现",
            "办理中（未到期）",
            "已超期未兑现",
            "按时兑现率",
        ],
        note="兑现时限自受理（提交完整申报）之日起按工作日计算；不予支持或撤回的申报不计。",
    )
    for code, title, accepted, kept, late, in_time, overdue in db.session.execute(query):
        due = kept + late + overdue
        rate = f"{kept * 100 / due:.1f}%" if due else "—"
        table.rows.append([f"{code} {title}", accepted, kept, late, in_time, overdue, rate])
    return table


# The offers approvals/proactive keeps, read by table: the feature builds on finance (its
# claims are paid here), so finance does not import it.
_OFFERS = sql_table("proactive_offers", column("claim_id"), column("policy_id"), column("outcome"))


def proactive_grants() -> Table:
    """免申即享 per clause: offers made, and how many were confirmed, declined, expired and
    paid; the outcome is kept on each offer (approvals/proactive), payment read by tag."""
    outcome = _OFFERS.c.outcome
    query = (
        select(
            Policy.code,
            Policy.title_zh,
            func.count(),
            *(func.count(case((outcome == o, 1))) for o in ("confirmed", "declined", "expired")),
            func.count(case((in_states_tagged("paid"), 1))),
        )
        .select_from(_OFFERS)
        .join(Claim, Claim.id == _OFFERS.c.claim_id)
        .join(Policy, Policy.id == _OFFERS.c.policy_id)
        .group_by(Policy.code, Policy.title_zh)
        .order_by(Policy.code)
    )
    table = Table(
        "proactive",
        "免申即享兑现情况",
        ["条款", "发出告知", "已确认", "已放弃", "逾期未确认", "已拨付"],
        chart_column=5,
        note="部门导入名单、企业确认意愿即兑现的事项；已确认的事项经财政复核后拨付。",
    )
    rows = db.session.execute(query)
    table.rows = [[f"{code} {title}", *counts] for code, title, *counts in rows]
    return table


def all_tables() -> list[Table]:
    return [
        claims_by_state(),
        *(money_by(d) for d in DIMENSIONS),
        stage_durations(),
        deadlines(),
        promises(),
        proactive_grants(),
    ]


_BUILDERS = {
    "states": claims_by_state,
    "stages": stage_durations,
    "deadlines": deadlines,
    "promises": promises,
    "proactive": proactive_grants,
}


def table(key: str) -> Table | None:
    """One table by key, computed alone (an export needs no other)."""
    if key in DIMENSIONS:
        return money_by(key)
    builder = _BUILDERS.get(key)
    return builder() if builder else None
