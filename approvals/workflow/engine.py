"""Bind a record to its workflow's machine, fire a trigger, list what may be fired."""

from __future__ import annotations

import threading

from transitions import Machine, MachineError

from approvals.workflow.guards import Guard, GuardContext
from approvals.workflow.spec import TransitionSpec, WorkflowSpec


class IllegalTransition(Exception):
    """The trigger does not exist from the record's current state."""


class GuardFailed(Exception):
    """The trigger exists but its conditions do not hold; `reasons` say what to fix."""

    def __init__(self, reasons: dict[str, str]):
        super().__init__("；".join(reasons.values()))
        self.reasons = reasons  # field → what to fix


class _Subject:
    """A throw-away model for one call: its `state` is the record's mapped column."""

    def __init__(self, record, ctx: GuardContext):
        self.record = record
        self.ctx = ctx

    @property
    def state(self) -> str:
        return self.record.state

    @state.setter
    def state(self, value: str) -> None:
        self.record.state = value


def _condition(guard: Guard):
    check = guard.check
    return lambda event: check(event.model.record, event.model.ctx)


class Engine:
    """One machine per workflow, shared by every record; records are bound per call."""

    def __init__(self, spec: WorkflowSpec, guards: dict[str, Guard]):
        self.spec = spec
        self.guards = guards
        # No auto transitions: `to_<state>()` would be a back door around the rules.
        self.machine = Machine(
            model=None,
            states=list(spec.states),
            initial=spec.initial,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )
        for t in spec.transitions:
            self.machine.add_transition(
                t.trigger,
                list(t.sources),
                t.dest,
                conditions=[_condition(guards[n]) for n in t.conditions],
                unless=[_condition(guards[n]) for n in t.unless],
            )
        # add_model/remove_model mutate the shared machine; firing is microseconds.
        self._lock = threading.Lock()

    def fire(self, record, trigger: str, ctx: GuardContext) -> TransitionSpec:
        """Move `record` by `trigger`; return the transition taken. Raises on refusal."""
        source = record.state
        candidates = self.spec.candidates(trigger, source)
        if not candidates:
            raise IllegalTransition(f"'{trigger}' is not possible from '{source}'")
        subject = _Subject(record, ctx)
        with self._lock:
            self.machine.add_model(subject, initial=source)
            try:
                moved = self.machine.events[trigger].trigger(subject)
            except MachineError as exc:
                raise IllegalTransition(str(exc)) from exc
            finally:
                self.machine.remove_model(subject)
        if not moved:
            raise GuardFailed(self._closest(record, candidates, ctx))
        for t in candidates:
            if t.dest == record.state:
                return t
        raise RuntimeError(f"{self.spec.name}: '{trigger}' moved to an undeclared state")

    def _closest(self, record, candidates: list[TransitionSpec], ctx) -> dict[str, str]:
        """Explain the branch that came nearest: a guard that failed on the branch meant for
        this record, not the routing guard of a branch it was never meant to take."""
        reasons = [self.explain(record, t, ctx) for t in candidates]
        return min((r for r in reasons if r), key=len, default=reasons[0])

    def explain(self, record, transition: TransitionSpec, ctx: GuardContext) -> dict[str, str]:
        """What keeps `transition` from being taken now, by field, in words a user can act on."""
        g = self.guards
        failing = [g[n] for n in transition.conditions if not g[n].check(record, ctx)]
        failing += [g[n] for n in transition.unless if g[n].check(record, ctx)]
        return {guard.field: guard.explain(record, ctx) for guard in failing}

    def offered_from(self, record, ctx: GuardContext) -> list[TransitionSpec]:
        """One transition per trigger from the record's state: the first branch its routing
        guards fit (a fact of the record's kind: a recognition is not a payout). A trigger
        none of whose branches fits the record is not offered at all."""
        g = self.guards

        def fits(t: TransitionSpec) -> bool:
            holds = all(g[n].check(record, ctx) for n in t.conditions if g[n].routing)
            return holds and not any(g[n].check(record, ctx) for n in t.unless if g[n].routing)

        seen: dict[str, TransitionSpec] = {}
        for t in self.spec.from_state(record.state):
            if t.trigger not in seen and fits(t):
                seen[t.trigger] = t
        return list(seen.values())

    def triggers_from(self, state: str) -> list[TransitionSpec]:
        """One transition per trigger from `state` (the first branch stands for all)."""
        seen: dict[str, TransitionSpec] = {}
        for t in self.spec.from_state(state):
            seen.setdefault(t.trigger, t)
        return list(seen.values())
