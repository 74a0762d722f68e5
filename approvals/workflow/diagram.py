"""Draw a workflow as a Mermaid state diagram, from the same data the engine runs."""

from __future__ import annotations

from approvals.workflow.spec import WorkflowSpec


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
    return "\n".join(lines) + "\n"
