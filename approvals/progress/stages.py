"""The five steps people follow a claim by (提交 → 初审 → 复核 → 审定 → 拨付), derived from a
workflow's states: their tags and queues say which step a state belongs to, so no state is
named here, and a claim's events say when each step was done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from approvals.clock import LOCAL
from approvals.i18n import N_
from approvals.workflow.deadlines import due_at
from approvals.workflow.spec import WorkflowSpec

STAGES = ("filing", "review", "rereview", "approval", "payout")
STAGE_LABELS = {
    "filing": N_("提交"),
    "review": N_("初审"),
    "rereview": N_("复核"),
    "approval": N_("审定"),
    "payout": N_("拨付"),
}
PAST_ALL = len(STAGES)  # a paid claim: every step is behind it
# Whose queue a state sits in says whose step it is.
_QUEUE_STAGE = {"department": "review", "finance": "rereview", "government": "approval"}


def _own(state) -> int | None:
    """The step a state's own tags and queue name, if any."""
    if state.final and "paid" not in state.tags:
        return None
    if "paid" in state.tags:
        return PAST_ALL
    if "payable" in state.tags:
        return STAGES.index("payout")
    if "unsubmitted" in state.tags:
        return STAGES.index("filing")
    stage = _QUEUE_STAGE.get(state.queue or "")
    return STAGES.index(stage) if stage else None


_MAPS: dict[tuple, tuple[WorkflowSpec, dict]] = {}  # (name, version, path) → (spec, map)


def _stage_map(spec: WorkflowSpec) -> dict[str, int | None]:
    """The steps of the spec's states, computed once per loaded spec (a spec holds dicts
    and is not hashable: kept by its name, version and file, checked by identity)."""
    key = (spec.name, spec.version, spec.path)
    cached = _MAPS.get(key)
    if cached is None or cached[0] is not spec:
        cached = _MAPS[key] = (spec, _steps_of_states(spec))
    return cached[1]


def _steps_of_states(spec: WorkflowSpec) -> dict[str, int | None]:
    """state → step index. A state entered only from, and left only to, states of one other
    step is a detour inside that step: a return for supplement (the enterprise's queue) is
    part of the preliminary review, the department's co-signature asked by finance part of
    finance's re-review, an expert review part of the department's."""
    own = {name: _own(state) for name, state in spec.states.items()}
    resolved = dict(own)
    for name, state in spec.states.items():
        # What a state's tags say (not yet filed, payable, paid) is never a detour.
        if state.final or state.tags & {"unsubmitted", "payable", "paid"}:
            continue
        around = set()
        for t in spec.transitions:
            if name in t.sources and t.dest != name:
                around.add(t.dest)
            if t.dest == name:
                around.update(s for s in t.sources if s != name)
        steps = {own[n] for n in around if not spec.states[n].final and own[n] is not None}
        if len(steps) == 1 and own[name] not in steps:
            resolved[name] = steps.pop()
    return resolved


def stage_of(spec: WorkflowSpec, state: str) -> int | None:
    return _stage_map(spec).get(state)


def applicable(spec: WorkflowSpec, terms, *, reached_government: bool = False) -> list[str]:
    """The steps a claim under `terms` goes through in this workflow: those some state of
    the workflow stands for; 审定 only where the clause needs the city government (or the
    claim went there)."""
    present = {i for i in _stage_map(spec).values() if i is not None and i < PAST_ALL}
    steps = [s for i, s in enumerate(STAGES) if i in present]
    if "approval" in steps and not (terms.requires_government_approval or reached_government):
        steps.remove("approval")
    return steps


def last_day(due: datetime | None) -> date | None:
    """A deadline (the first instant past it) as the last day still in time, Beijing date."""
    return due.astimezone(LOCAL).date() - timedelta(days=1) if due else None


@dataclass(frozen=True)
class StageDue:
    """A step's time limit under a clause: a date of the procedure, or a period counted from
    the day the claim reaches the step (its words, {"zh", "en"})."""

    day: date | None = None
    period: dict | None = None


def stage_deadlines(spec: WorkflowSpec, terms) -> dict[str, StageDue]:
    """Each step's time limit under the clause: the application window for 提交; else the
    rule of the step's states (the latest date where they differ, else a counted period)."""
    found: dict[str, StageDue] = {"filing": StageDue(day=terms.window_close)}
    for name, state in spec.states.items():
        index = stage_of(spec, name)
        if index is None or index in (0, PAST_ALL):
            continue
        stage, known = STAGES[index], found.get(STAGES[index])
        if state.deadline:
            day = last_day(due_at(state.deadline, terms.call_year))
            if known is None or known.day is None or day > known.day:
                found[stage] = StageDue(day=day)
        elif getattr(state, "period", None) is not None and known is None:
            found[stage] = StageDue(period=state.period.describe())
    return found


@dataclass(frozen=True)
class Step:
    stage: str
    label: str  # untranslated: the template translates it
    status: str  # "done", "current", "ended" (the claim stopped here), "pending", "skipped"
    done_on: date | None = None
    deadline: date | None = None
    state_label: object = None  # the state's bilingual label, for the step in progress


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(LOCAL).date() if moment else None


def _forward_exit(spec: WorkflowSpec, event, index: int) -> bool:
    to = stage_of(spec, event.to_state)
    return stage_of(spec, event.from_state) == index and to is not None and to > index


def steps_of_claim(spec: WorkflowSpec, claim, events) -> list[Step]:
    """The claim's steps: those done with the day they were done (its latest move past
    them), the one in progress with its deadline, and those ahead. `events` in order."""
    state = spec.states.get(claim.state)
    index = stage_of(spec, claim.state)
    mode = "running"
    if index is None:  # a final state of no step: the claim stopped where it last was
        before = next((e.from_state for e in reversed(events) if e.to_state == claim.state), None)
        index = (stage_of(spec, before) if before else None) or 0
        # A final state that neither refuses nor gives up concludes the procedure (a
        # recognition, say): the steps up to it are done and none follows.
        if state is not None and not state.tags & {"refused", "given_up"}:
            mode, index = "concluded", index + 1
        else:
            mode = "ended"
    steps = []
    wanted = applicable(spec, claim.terms, reached_government=claim.reached_government)
    for i, stage in enumerate(STAGES):
        if stage not in wanted:
            continue
        label = STAGE_LABELS[stage]
        if i < index:
            done = [e.at for e in events if _forward_exit(spec, e, i)]
            steps.append(Step(stage, label, "done", _local_day(max(done, default=None))))
        elif i == index and mode != "concluded":
            due = claim.terms.window_close if i == 0 else last_day(claim.due_at)
            ended = mode == "ended"
            shown = state.label if state is not None else None
            status = "ended" if ended else "current"
            steps.append(Step(stage, label, status, None, None if ended else due, shown))
        else:
            steps.append(Step(stage, label, "pending" if mode == "running" else "skipped"))
    return steps
