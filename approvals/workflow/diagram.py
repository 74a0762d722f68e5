"""Draw a workflow as a Mermaid state diagram, from the same data the engine runs."""

from __future__ import annotations

from approvals.workflow.spec import WorkflowSpec
from approvals.workflow.task_spec import TaskSpec


def _tasks_note(rule: TaskSpec) -> str:
    """Who decides a state with review tasks, and how it completes: one line of a note."""
    who = rule.candidates or f"role {rule.role}"
    complete = f"{rule.n} of m" if rule.complete == "n_of_m" else rule.complete
    parts = [f"tasks: {who}, {complete}"]
    if rule.signoff:
        steps = [f"{step}*" if step in rule.above_threshold else step for step in rule.signoff]
        parts.append("signed " + " > ".join(steps))
    fired = f"on_complete {rule.on_complete}"
    if rule.on_disagree:
        fired += f", on_disagree {rule.on_disagree}"
    return "; ".join([*parts, fired])


def mermaid(spec: WorkflowSpec, lang: str = "zh") -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {spec.initial}"]
    for state in spec.states.values():
        lines.append(f"    {state.name}: {getattr(state.label, lang)}")
    for t in spec.transitions:
        roles = "/".join(t.roles)
        guards = [*t.conditions, *(f"not {name}" for name in t.unless)]
        guard = f" [{', '.join(guards)}]" if guards else ""
        effects = f" / {', '.join(t.effects)}" if t.effects else ""
        for source in t.sources:
            lines.append(f"    {source} --> {t.dest}: {t.trigger} ({roles}){guard}{effects}")
    for state in spec.states.values():
        if state.final:
            lines.append(f"    {state.name} --> [*]")
    # Review tasks as notes (* marks a step needed only above the policy's threshold).
    for state in spec.states.values():
        rule = spec.tasks_of(state.name)
        if rule is not None:
            lines += [
                f"    note right of {state.name}",
                f"        {_tasks_note(rule)}",
                "    end note",
            ]
    return "\n".join(lines) + "\n"
