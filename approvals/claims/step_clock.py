"""A claim's deadline in its current step, the clock that stops during 补正, and the
system's move when a deadline passes.

On every move (history.arrive) the claim gets the deadline of the state it enters
(approvals/workflow/deadlines.py). A step with a counted period (`working_days`, `months`)
is the claim's own clock: when the claim is returned to the enterprise for supplement, the
working days left are kept (`clock_left`, for `clock_state`) and the clock stands still;
when the claim comes back into that state, the clock runs on with what was left, not from
zero, and not counting the days the enterprise had it. Both moves' events say how much time
was used and is left. A named calendar date (the end of February) is the city's for the
whole call year and does not move for one claim.

Entering a state with a deadline schedules the step timers that apply to it
(approvals/workflow/timers.py); this feature's own is `deadline.move`, the system's move
that a state names as `on_deadline`.
"""

from __future__ import annotations

from datetime import datetime

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.workflow.calendar import add_working_days, load_overrides, working_days_left
from approvals.workflow.deadlines import after, last_day_of, step_due
from approvals.workflow.registry import engine_for
from approvals.workflow.timers import schedule_step

DEADLINE_MOVE = "deadline.move"


def _pauses(spec, source, dest) -> bool:
    return source.period is not None and spec.has_tag(dest.name, "awaiting_supplement")


def enter(step) -> None:
    """The claim's deadline in the state it enters, its clock stopped or run on."""
    claim, spec = step.subject, step.engine.spec
    source, dest = spec.states[step.source], spec.states[step.transition.dest]
    # The city's days (a cached read): counting a period, and placing the step timers of
    # any deadline (a reminder 3 working days before the end of February) both need them.
    needed = dest.period or dest.deadline or source.period or claim.clock_left is not None
    overrides = load_overrides() if needed else {}
    if source.name != dest.name and _pauses(spec, source, dest) and claim.due_at is not None:
        left = working_days_left(step.today, last_day_of(claim.due_at), overrides)
        claim.clock_left, claim.clock_state = left, source.name
        step.facts["clock"] = _clock_facts(source, left, paused=True)
    due, provisional = step_due(dest, claim.policy.call_year, step.now, overrides)
    if claim.clock_left is not None and dest.name == claim.clock_state:
        left = claim.clock_left
        last = add_working_days(step.today, left, overrides) if left else None
        due = after(last.due) if last else after(step.today)
        provisional = bool(last and last.provisional)
        claim.clock_left = claim.clock_state = None
        step.facts["clock"] = {**_clock_facts(dest, left), "due": last_day_of(due).isoformat()}
    elif claim.clock_left is not None and not spec.has_tag(dest.name, "awaiting_supplement"):
        claim.clock_left = claim.clock_state = None  # it went elsewhere: that clock is done
    claim.due_at, claim.due_provisional = due, provisional
    if due is not None and not dest.final:
        schedule_step(claim, dest, due, overrides)


def _clock_facts(state, left: int, *, paused: bool = False) -> dict:
    facts = {"state": state.name, "left": left}
    if state.period.working_days is not None:
        facts["used"] = max(state.period.working_days - left, 0)
    if paused:
        facts["paused"] = True
    return facts


# The system's move at a deadline ------------------------------------------------------------


def fire_deadline_move(timer, now: datetime) -> str:
    """The state's `on_deadline` move, through the door as the system, if the claim is
    still in the step the timer was set for (same state, same deadline)."""
    from approvals.claims.supplement import system_user
    from approvals.workflow.runtime import advance

    claim = db.session.get(Claim, timer.claim_id, populate_existing=True)
    if claim is None or claim.state != timer.state or claim.due_at != timer.deadline:
        return "obsolete: the claim left that step"
    trigger = engine_for(claim).spec.states[claim.state].on_deadline
    advance(system_user(), claim.id, trigger, version=claim.version, now=now)
    return f"{claim.number}: {trigger}"


def register(cat) -> None:
    cat.timer(
        DEADLINE_MOVE,
        fire_deadline_move,
        at=lambda last, overrides: after(last),
        applies=lambda state: state.on_deadline is not None,
        per="claim",
    )
