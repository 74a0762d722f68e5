"""The oversight figures (督查): per department and call year, how its claims stand against the
procedure's dates, counted by the database.

A claim counts for the department that reviews it now and for its policy's call year, as in
finance's reports (approvals/finance/reports.py), whose SQL pieces this module reuses: what
a state means is asked of its tags in the claim's own workflow version, and each figure is a
grouped query, so the page reads groups (departments × years), never claims or events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import String, and_, case, cast, false, func, literal, null, or_, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.tagged import in_states_tagged
from approvals.clock import current_time
from approvals.db import UTCDateTime
from approvals.extensions import db
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
from approvals.i18n import N_
from approvals.organisations.models import Department
from approvals.policies.models import Policy
from approvals.recognition_forms import report as form_report
from approvals.supervision.queries import counts as supervision_counts
from approvals.workflow.deadlines import RULES

# Where the 申请认定表 of a (department, call year) stands; the first three are the deadline
# report's own (approvals/recognition_forms/report.py), OVERDUE is "not sent" once the end of
# February has passed, NOTHING a department with no approved claim to list.
FORM_OVERDUE, FORM_NOTHING = "overdue", "nothing"
FORM_LABELS = {
    **form_report.STANDING_LABELS,
    form_report.NOT_SENT: N_("未报送（未到期）"),
    FORM_OVERDUE: N_("逾期未报送"),
    FORM_NOTHING: N_("无需报送"),
}
# The queues of officials: time a claim waits for the enterprise (补正) is not a stage of
# the offices' work, so the stage medians leave it out.
OFFICIAL_QUEUES = ("department", "finance", "government")
DAY = 86400.0


@dataclass
class Line:
    """One department's claims of one call year."""

    department: Department
    year: int
    received: int = 0  # filed (drafts are not)
    decided: int = 0  # its review finished (sent on to finance on a form, or refused), not reopened
    overdue: int = 0  # waiting for the department past their step's due_at
    paid: int = 0  # in a paid state (paid, and any recovery after it)
    payout_on_time: int = 0  # reached a paid state before the end of March
    payout_late: int = 0
    payout_overdue: int = 0  # still awaiting payout after the end of March
    form: str = FORM_NOTHING
    form_sent_on: date | None = None  # the Beijing date of its first sent form
    medians: dict[str, float] = field(default_factory=dict)  # stage label → median days
    # 督办通知 addressed to the department that list claims of the year (approvals/supervision)
    supervised: int = 0

    @property
    def form_label(self) -> str:
        return FORM_LABELS[self.form]


def _count(condition):
    return func.count(case((condition, 1)))


def _first_finish(check, but: tuple[str, ...] = ()):
    """(claim_id, at) of each claim's first event that finishes a step: `check(spec)` gives
    a version's deadline rule and (SQL) its finishing event, as finance's deadline table
    reads them; a move into a state tagged with one of `but` does not finish it."""
    finishing = []
    for spec in loaded_specs():
        rule, event = check(spec)
        if rule is not None:
            excluded = ClaimEvent.to_state.in_(spec.states_tagged(*but))
            finishing.append(and_(of_version(spec), event, ~excluded))
    return (
        select(ClaimEvent.claim_id, func.min(ClaimEvent.at).label("at"))
        .join(Claim, Claim.id == ClaimEvent.claim_id)
        .where(or_(*finishing) if finishing else false())
        .group_by(ClaimEvent.claim_id)
        .subquery()
    )


def _payout_due(years: list[int]):
    """SQL: the end of the payout step for the claim's version and call year (NULL if none)."""
    whens = [
        (and_(of_version(spec), Policy.call_year == year), literal(RULES[rule](year), UTCDateTime))
        for spec in loaded_specs()
        if (rule := payout_step(spec)[0]) is not None
        for year in years
    ]
    return case(*whens, else_=null()) if whens else null()


def _waiting_for_department():
    """SQL: the claim waits in one of its department's states (its workflow's queue)."""
    return or_(
        *(
            and_(
                of_version(spec),
                Claim.state.in_([s.name for s in spec.states.values() if s.queue == "department"]),
            )
            for spec in loaded_specs()
        )
    )


def _in_department_review():
    """SQL: the claim is (again) in the states its department's review deadline governs: a
    claim finance sent back to the department is not decided until it is decided again."""
    branches = []
    for spec in loaded_specs():
        rule = department_review(spec)[0]
        if rule is not None:
            governed = [s.name for s in spec.states.values() if s.deadline == rule]
            branches.append(and_(of_version(spec), Claim.state.in_(governed)))
    return or_(*branches) if branches else false()


def _years(year: int | None) -> list[int]:
    if year is not None:
        return [year]
    return list(db.session.scalars(select(Policy.call_year).distinct()))


def _counts(year: int | None, now: datetime) -> list[tuple]:
    """(department id, call year, received, decided, overdue, paid, payout on time, late,
    overdue) per group, in one statement."""
    decided = _first_finish(department_review, but=("given_up",))
    paid = _first_finish(payout_step)
    due = _payout_due(_years(year))
    at_now = literal(now, UTCDateTime)
    query = (
        select(
            Claim.department_id,
            Policy.call_year,
            func.count(),
            _count(decided.c.at.is_not(None) & ~_in_department_review()),
            _count(_waiting_for_department() & (Claim.due_at <= at_now)),
            _count(in_states_tagged("paid")),
            _count(paid.c.at < due),
            _count(paid.c.at >= due),
            _count(in_states_tagged("payable") & (due <= at_now)),
        )
        .join(Policy, Policy.id == Claim.policy_id)
        .outerjoin(decided, decided.c.claim_id == Claim.id)
        .outerjoin(paid, paid.c.claim_id == Claim.id)
        .where(*filed_scope(None))
        .group_by(Claim.department_id, Policy.call_year)
    )
    if year is not None:
        query = query.where(Policy.call_year == year)
    return list(db.session.execute(query))


def stage_medians(year: int | None = None) -> dict[tuple[int, int], dict[str, float]]:
    """{(department id, call year): {stage label: median days}} over the officials' stages
    a claim has entered and left (ClaimEvent times; a step that stays in its state is work
    inside it). finance's `ranked_spans` and `median_of` partition by one `label` column, so the
    group is spelled into it as "department/year/stage" and split again here."""
    moves = (
        select(
            ClaimEvent.claim_id,
            ClaimEvent.to_state.label("state"),
            ClaimEvent.at.label("entered"),
            func.lead(ClaimEvent.at)
            .over(partition_by=ClaimEvent.claim_id, order_by=ClaimEvent.id)
            .label("left"),
        )
        .where(ClaimEvent.from_state != ClaimEvent.to_state)
        .subquery()
    )
    official = or_(
        *(
            and_(
                of_version(spec),
                moves.c.state.in_(
                    [s.name for s in spec.states.values() if s.queue in OFFICIAL_QUEUES]
                ),
            )
            for spec in loaded_specs()
        )
    )
    key = (
        cast(Claim.department_id, String)
        + "/"
        + cast(Policy.call_year, String)
        + "/"
        + label_of(moves.c.state)
    )
    spans = (
        select(
            key.label("label"),
            seconds_between(moves.c.entered, moves.c.left).label("seconds"),
            Claim.number,
        )
        .join(Claim, Claim.id == moves.c.claim_id)
        .join(Policy, Policy.id == Claim.policy_id)
        .where(*filed_scope(None), moves.c.left.is_not(None), official)
    )
    if year is not None:
        spans = spans.where(Policy.call_year == year)
    ranked = ranked_spans(spans.subquery())
    medians: dict[tuple[int, int], dict[str, float]] = {}
    query = select(ranked.c.label, median_of(ranked)).group_by(ranked.c.label)
    for label, median in db.session.execute(query):
        department, call_year, stage = label.split("/", 2)
        medians.setdefault((int(department), int(call_year)), {})[stage] = float(median) / DAY
    return medians


def stages(lines: list[Line]) -> list[str]:
    """The stage labels any line has a median for, in the order of the workflow files."""
    found = {stage for line in lines for stage in line.medians}
    return [label for label in state_labels() if label in found]


def _forms(line: Line, standing: form_report.DepartmentLine | None, now: datetime) -> None:
    if standing is None:
        return
    line.form = standing.standing
    if standing.forms:
        line.form_sent_on = standing.forms[0].sent_on
    elif now >= form_report.deadline(line.year):
        line.form = FORM_OVERDUE


def call_years() -> list[int]:
    """The call years with filed claims, newest first."""
    query = (
        select(Policy.call_year)
        .join(Claim, Claim.policy_id == Policy.id)
        .where(*filed_scope(None))
        .distinct()
        .order_by(Policy.call_year.desc())
    )
    return list(db.session.scalars(query))


def lines(year: int | None = None, now: datetime | None = None) -> list[Line]:
    """One line per department and call year with filed claims, in department order, then
    newest year first."""
    now = now or current_time()
    counts = _counts(year, now)
    departments = {
        d.id: d
        for d in db.session.scalars(
            select(Department).where(Department.id.in_({row[0] for row in counts}))
        )
    }
    medians = stage_medians(year)
    supervised = supervision_counts(year)
    standings = {
        (s.department.id, y): s
        for y in sorted({row[1] for row in counts})
        for s in form_report.report(y)
    }
    result = []
    for department_id, call_year, *figures in counts:
        line = Line(departments[department_id], call_year, *figures)
        line.medians = medians.get((department_id, call_year), {})
        line.supervised = supervised.get((department_id, call_year), 0)
        _forms(line, standings.get((department_id, call_year)), now)
        result.append(line)
    result.sort(key=lambda x: (x.department.id, -x.year))
    return result
