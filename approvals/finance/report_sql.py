"""The SQL pieces the reports are made of, shared by finance's reports
(approvals/finance/reports.py) and the city office's oversight (approvals/oversight/):
which claims a table covers, what a state is called in the claim's own workflow version,
spans between two times, their median per group (PostgreSQL's percentile_cont, a window
on SQLite), and the deadline rules of the department's review and of the payout."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Float, and_, case, cast, extract, func, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.claims.tagged import in_states_tagged
from approvals.extensions import db
from approvals.workflow.registry import workflows
from approvals.workflow.spec import WorkflowSpec


def filed_scope(claims: list[Claim] | None) -> list:
    """The claims a table covers: every filed one, or only `claims` when given."""
    where = [~in_states_tagged("unsubmitted")]
    if claims is not None:
        where.append(Claim.id.in_([c.id for c in claims]))
    return where


def loaded_specs() -> list[WorkflowSpec]:
    return [engine.spec for engine in workflows().values()]


def of_version(spec: WorkflowSpec, model=Claim):
    return and_(model.workflow == spec.name, model.workflow_version == spec.version)


def state_labels() -> list[str]:
    """Every state's label, each once, in the order of the workflow files."""
    return list(dict.fromkeys(spec.label(s) for spec in loaded_specs() for s in spec.states))


def label_of(state):
    """SQL: the label of `state` in the claim's own workflow version (else its name)."""
    whens = []
    for spec in loaded_specs():
        by_label: dict[str, list[str]] = defaultdict(list)
        for name in spec.states:
            by_label[spec.label(name)].append(name)
        whens += [(and_(of_version(spec), state.in_(s)), lbl) for lbl, s in by_label.items()]
    return case(*whens, else_=state)


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def seconds_between(start, end):
    if dialect_name() == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return cast(extract("epoch", end - start), Float)


def median_of(spans):
    """The median of spans.c.seconds per group, interpolating between the middle two of an
    even count (as statistics.median). PostgreSQL has it built in; SQLite averages the
    middle row(s) picked by the window columns `rank` and `n` that `ranked_spans` adds for it."""
    if dialect_name() == "postgresql":
        return func.percentile_cont(0.5).within_group(spans.c.seconds)
    middle = spans.c.rank.in_([(spans.c.n + 1) / 2, (spans.c.n + 2) / 2])
    return func.avg(case((middle, spans.c.seconds)))


def ranked_spans(spans):
    by_label = {"partition_by": spans.c.label}
    slowest = func.row_number().over(
        **by_label, order_by=(spans.c.seconds.desc(), spans.c.number.desc())
    )
    columns = [spans.c.label, spans.c.seconds, spans.c.number, slowest.label("slowest")]
    if dialect_name() != "postgresql":
        rank = func.row_number().over(**by_label, order_by=spans.c.seconds)
        columns += [rank.label("rank"), func.count().over(**by_label).label("n")]
    return select(*columns).subquery()


def first_rule(spec: WorkflowSpec, states) -> str | None:
    """The deadline rule that the first of `states` to carry one carries."""
    return next((spec.states[s].deadline for s in states if spec.states[s].deadline), None)


def department_review(spec: WorkflowSpec):
    """The rule of the department's step, and (SQL) the event that first leaves the states
    it governs (a return for supplement stays inside them: the department has not decided)."""
    rule = first_rule(spec, [s.name for s in spec.states.values() if s.queue == "department"])
    governed = [s.name for s in spec.states.values() if s.deadline == rule]
    return rule, and_(ClaimEvent.from_state.in_(governed), ClaimEvent.to_state.not_in(governed))


def payout_step(spec: WorkflowSpec):
    """The rule of the wait for payout, and (SQL) the event that reaches a paid state."""
    rule = first_rule(spec, spec.states_tagged("payable"))
    return rule, ClaimEvent.to_state.in_(spec.states_tagged("paid"))
