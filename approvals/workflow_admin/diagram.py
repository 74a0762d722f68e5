"""A workflow drawn as inline SVG from its file, each state with its number of claims.

Drawn on the server (approvals/workflow_admin/layout.py places it): the page works with no
network and no script, and the page's CSP allows no inline style, so colours and fonts are
SVG presentation attributes, never `style`.
"""

from __future__ import annotations

from flask_babel import ngettext
from markupsafe import Markup, escape

from approvals.workflow.spec import TransitionSpec, WorkflowSpec
from approvals.workflow_admin.layout import BOX_H, FONT, SMALL, Edge, Layout, layout

# Whose queue a state sits in, as its box's colours (fill, border); no queue: grey.
QUEUE_COLOURS = {
    "enterprise": ("#fff6e0", "#b7791f"),
    "department": ("#e8f1fb", "#1d4f91"),
    "finance": ("#e9f6ee", "#2f7d4a"),
    "government": ("#f5ecf8", "#7a3e8f"),
}
NO_QUEUE = ("#f2f4f7", "#5f6b7a")
INK, MUTED, LINE = "#1f2933", "#5f6b7a", "#8a96a3"
ARROW = "wf-arrow"  # one diagram per page: the marker's id is unique there


def moves(spec: WorkflowSpec, lang: str) -> list[Edge]:
    """One arrow per (source, target), labelled with the labels of every move along it."""
    merged: dict[tuple[str, str], list] = {}
    for t in spec.transitions:
        for source in t.sources:
            merged.setdefault((source, t.dest), []).append(t)
    edges = []
    for (source, dest), transitions in merged.items():
        labels = dict.fromkeys(getattr(t.label, lang) for t in transitions)
        title = "; ".join(_move_title(t) for t in transitions)
        edges.append(Edge(source, dest, " / ".join(labels), title))
    return edges


def guards(t: TransitionSpec) -> list[str]:
    """A move's conditions as the file writes them: `unless` ones as "not <name>"."""
    return [*t.conditions, *(f"not {name}" for name in t.unless)]


def _move_title(t: TransitionSpec) -> str:
    """A move as the file names it: trigger (roles) [conditions]."""
    named = guards(t)
    return f"{t.trigger} ({'/'.join(t.roles)})" + (f" [{', '.join(named)}]" if named else "")


def count_text(count: int) -> str:
    return ngettext("%(num)d 件", "%(num)d 件", count)


def workflow_svg(spec: WorkflowSpec, counts: dict[str, int], lang: str, title: str) -> Markup:
    states = [
        (s.name, (getattr(s.label, lang), count_text(counts.get(s.name, 0))))
        for s in spec.states.values()
    ]
    drawing = layout(states, spec.initial, moves(spec, lang))
    return Markup("".join(_svg(spec, drawing, counts, title)))


def _svg(spec: WorkflowSpec, drawing: Layout, counts: dict[str, int], title: str):
    w, h = drawing.width, drawing.height
    yield (
        f'<svg class="workflow-diagram" role="img" aria-label="{escape(title)}" '
        f'width="{w:.0f}" height="{h:.0f}" viewBox="{drawing.left:.1f} 0 {w:.1f} {h:.1f}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">'
        f"<title>{escape(title)}</title>"
        f'<defs><marker id="{ARROW}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{LINE}"/></marker></defs>'
    )
    start = drawing.boxes[drawing.initial]
    yield (
        f'<circle cx="{start.cx:.1f}" cy="{start.y - 30:.1f}" r="6" fill="{INK}"/>'
        f'<path d="M{start.cx:.1f},{start.y - 24:.1f} V{start.y:.1f}" stroke="{INK}" '
        f'stroke-width="1.4" fill="none" marker-end="url(#{ARROW})"/>'
    )
    for edge in drawing.edges:
        yield (
            f'<g class="move"><title>{escape(edge.title)}</title>'
            f'<path d="{edge.path}" stroke="{LINE}" stroke-width="1.3" fill="none" '
            f'marker-end="url(#{ARROW})"/></g>'
        )
    for box in drawing.boxes.values():
        state = spec.states[box.name]
        fill, stroke = NO_QUEUE if state.final else QUEUE_COLOURS.get(state.queue, NO_QUEUE)
        count = counts.get(box.name, 0)
        emphasis = f'fill="{INK}" font-weight="bold"' if count else f'fill="{MUTED}"'
        tags = f" · {', '.join(sorted(state.tags))}" if state.tags else ""
        yield (
            f'<g class="state" data-state="{escape(box.name)}">'
            f"<title>{escape(box.name)}{escape(tags)}</title>"
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{BOX_H}" '
            f'rx="8" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        )
        if state.final:  # an end of the procedure: a double border
            yield (
                f'<rect x="{box.x + 3:.1f}" y="{box.y + 3:.1f}" width="{box.w - 6:.1f}" '
                f'height="{BOX_H - 6}" rx="6" fill="none" stroke="{stroke}"/>'
            )
        yield (
            f'<text x="{box.cx:.1f}" y="{box.y + 22:.1f}" text-anchor="middle" '
            f'font-size="{FONT}" fill="{INK}">{escape(box.lines[0])}</text>'
            f'<text x="{box.cx:.1f}" y="{box.y + 40:.1f}" text-anchor="middle" '
            f'font-size="{SMALL}" {emphasis}>{escape(box.lines[1])}</text></g>'
        )
    # Labels last, on a white ground, so that no line runs through their text.
    for edge in drawing.edges:
        x, y = edge.label_at
        yield (
            f'<text x="{x:.1f}" y="{y + SMALL / 2 - 2:.1f}" text-anchor="{edge.anchor}" '
            f'font-size="{SMALL}" fill="{MUTED}" stroke="#fff" stroke-width="4" '
            f'paint-order="stroke">{escape(edge.label)}</text>'
        )
    yield "</svg>"
