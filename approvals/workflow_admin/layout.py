"""Where a workflow's states and moves go on its diagram: rows by rank, lanes for long moves.

A small layered layout, enough for a few dozen states: each state's rank is its distance
in moves from the initial state, one row per rank, the states of a row ordered by where
their predecessors stand (barycentre) so that moves cross less. A move to the next row is a
curve between the two boxes; any other (back, within a row, skipping rows) leaves through
the gap below its row, runs along a lane of its own beside the rows and enters its target
through the gap above, so that no line crosses a box. Coordinates only: drawing is
approvals/workflow_admin/diagram.py's.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from dataclasses import dataclass, field

FONT, SMALL = 14, 12  # px: a state's label, a move's label and a state's count
BOX_H, ROW_GAP, COL_GAP = 52, 96, 28
LANE_GAP, PAD, MIN_BOX_W = 12, 18, 110
SLOT_GAP = 7  # px between the horizontal runs of lane moves in one gap


def text_width(text: str, size: float) -> float:
    """Wide (CJK) characters take a full em, the rest about 0.6 em: close enough to size
    boxes and labels without the fonts at hand."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.6 for c in text)


@dataclass
class Box:
    name: str
    lines: tuple[str, str]  # the label, the count
    x: float = 0
    y: float = 0
    w: float = MIN_BOX_W
    h: float = BOX_H

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass
class Edge:
    source: str
    dest: str
    label: str
    title: str  # the moves' names, roles and conditions, shown on hover
    path: str = ""  # SVG path data
    label_at: tuple[float, float] = (0, 0)
    anchor: str = "middle"
    # Chosen while laying out: "self", "next" (to the next row) or "left" / "right" (a lane).
    route: str = ""
    lane_x: float = 0
    ports: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    left: float  # the drawing's leftmost x (lanes and their labels lie left of the rows)
    width: float
    height: float
    boxes: dict[str, Box]
    edges: list[Edge]
    initial: str


def ranks(names: list[str], initial: str, edges: list[Edge]) -> dict[str, int]:
    """Moves from the initial state (breadth first); a state no move reaches comes last."""
    rank = {initial: 0}
    todo = deque([initial])
    while todo:
        here = todo.popleft()
        for edge in edges:
            if edge.source == here and edge.dest not in rank:
                rank[edge.dest] = rank[here] + 1
                todo.append(edge.dest)
    last = max(rank.values()) + 1
    return {name: rank.get(name, last) for name in names}


def _rows(names: list[str], rank: dict[str, int], edges: list[Edge]) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(max(rank.values()) + 1)]
    for name in names:
        rows[rank[name]].append(name)
    where: dict[str, float] = {}
    first = {name: i for i, name in enumerate(names)}
    for row in rows:
        # States no earlier row leads to keep the file's order, after the others.
        def key(name: str) -> float:
            above = [where[e.source] for e in edges if e.dest == name and e.source in where]
            return sum(above) / len(above) if above else 1 + first[name]

        row.sort(key=key)
        where.update({name: (i + 0.5) / len(row) for i, name in enumerate(row)})
    return [row for row in rows if row]


def _place(boxes: dict[str, Box], rows: list[list[str]]) -> float:
    """Rows centred one under the other; the width of the widest."""
    widths = [sum(boxes[n].w for n in row) + COL_GAP * (len(row) - 1) for row in rows]
    content = max(widths)
    for r, (row, width) in enumerate(zip(rows, widths, strict=True)):
        x = (content - width) / 2
        for name in row:
            boxes[name].x, boxes[name].y = x, ROW_GAP + r * (BOX_H + ROW_GAP)
            x += boxes[name].w + COL_GAP
    return content


def _ports(boxes: dict[str, Box], edges: list[Edge]) -> None:
    """Where each move leaves its source's bottom and enters its target's top: spread along
    the side, ordered by where the other end lies, so that they do not cross at the box."""
    sides: dict[tuple[str, str], list[tuple[float, Edge, str]]] = {}
    for edge in edges:
        if edge.route == "self":
            continue
        lane = {"left": -1e9, "right": 1e9}.get(edge.route)
        out_to = lane if lane is not None else boxes[edge.dest].cx
        in_from = lane if lane is not None else boxes[edge.source].cx
        sides.setdefault((edge.source, "out"), []).append((out_to, edge, "out"))
        sides.setdefault((edge.dest, "in"), []).append((in_from, edge, "in"))
    for (name, _side), ends in sides.items():
        box = boxes[name]
        ends.sort(key=lambda end: end[0])
        for i, (_, edge, side) in enumerate(ends):
            edge.ports[side] = box.x + box.w * (i + 1) / (len(ends) + 1)


def _cubic(p0, p1, p2, p3, t: float) -> tuple[float, float]:
    u = 1 - t
    return tuple(
        u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
        for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
    )


class _Labels:
    """Greedy placement: each label takes the first of its candidate spots that overlaps
    no box and no label placed before it (else its first spot)."""

    def __init__(self, boxes: dict[str, Box]):
        self.taken = [(b.x, b.y, b.x + b.w, b.bottom) for b in boxes.values()]

    def place(self, edge: Edge, spots: list[tuple[float, float]], anchor: str) -> None:
        w, h = text_width(edge.label, SMALL) + 6, SMALL + 4
        shift = {"middle": w / 2, "end": w, "start": 0}[anchor]
        chosen = spots[0]
        for x, y in spots:
            rect = (x - shift, y - h / 2, x - shift + w, y + h / 2)
            if not any(self._overlap(rect, other) for other in self.taken):
                chosen = (x, y)
                break
        x, y = chosen
        self.taken.append((x - shift, y - h / 2, x - shift + w, y + h / 2))
        edge.label_at, edge.anchor = chosen, anchor

    @staticmethod
    def _overlap(a, b) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


FRACTIONS = (0.5, 0.38, 0.62, 0.26, 0.74, 0.14, 0.86)


def layout(states: list[tuple[str, tuple[str, str]]], initial: str, edges: list[Edge]) -> Layout:
    """`states`: (name, (label, count)) in file order; `edges`: one per (source, dest)."""
    names = [name for name, _ in states]
    boxes = {
        name: Box(name, lines, w=max(MIN_BOX_W, text_width(lines[0], FONT) + 28))
        for name, lines in states
    }
    rank = ranks(names, initial, edges)
    content = _place(boxes, _rows(names, rank, edges))
    for edge in edges:
        if edge.source == edge.dest:
            edge.route = "self"
        elif rank[edge.dest] == rank[edge.source] + 1:
            edge.route = "next"
        else:
            middle = (boxes[edge.source].cx + boxes[edge.dest].cx) / 2
            edge.route = "left" if middle < content / 2 else "right"
    _ports(boxes, edges)
    labels = _Labels(boxes)
    lanes = {"left": 0, "right": 0}
    slots: dict[float, int] = {}  # gap (its top y) → lane runs through it so far
    widest = {"left": 0.0, "right": 0.0}
    lowest = 0.0  # the lowest lane run: the gap below the last row holds some

    def run_y(gap_top: float) -> float:
        k = slots.get(gap_top, 0)
        slots[gap_top] = k + 1
        return gap_top + 12 + SLOT_GAP * (k % ((ROW_GAP - 24) // SLOT_GAP))

    for edge in edges:
        src, dst = boxes[edge.source], boxes[edge.dest]
        if edge.route == "self":
            x, y1, y2 = src.x + src.w, src.y + 14, src.bottom - 14
            bend = x + 34
            curve = (bend, y1 - 8, bend, y2 + 8, x, y2)
            edge.path = f"M{x:.1f},{y1:.1f} C" + " ".join(f"{v:.1f}" for v in curve)
            labels.place(edge, [(x + 30, (y1 + y2) / 2), (x + 30, src.y - 8)], "start")
            # A loop at the right of the rows' widest box reaches past them.
            reach = x + 30 + text_width(edge.label, SMALL) + 10 - content
            widest["right"] = max(widest["right"], reach - PAD - LANE_GAP * lanes["right"])
        elif edge.route == "next":
            p0, p3 = (edge.ports["out"], src.bottom), (edge.ports["in"], dst.y)
            mid = (p0[1] + p3[1]) / 2
            p1, p2 = (p0[0], mid), (p3[0], mid)
            edge.path = "M{:.1f},{:.1f} C{:.1f},{:.1f} {:.1f},{:.1f} {:.1f},{:.1f}".format(
                *p0, *p1, *p2, *p3
            )
            labels.place(edge, [_cubic(p0, p1, p2, p3, t) for t in FRACTIONS], "middle")
        else:
            side = edge.route
            lanes[side] += 1
            offset = PAD + LANE_GAP * lanes[side]
            edge.lane_x = -offset if side == "left" else content + offset
            y_out = run_y(src.bottom)
            y_in = run_y(dst.y - ROW_GAP)  # the gap above the target's row
            lowest = max(lowest, y_out)
            x_out, x_in, lane = edge.ports["out"], edge.ports["in"], edge.lane_x
            edge.path = (
                f"M{x_out:.1f},{src.bottom:.1f} V{y_out:.1f} H{lane:.1f} V{y_in:.1f}"
                f" H{x_in:.1f} V{dst.y:.1f}"
            )
            anchor = "end" if side == "left" else "start"
            nudge = -4 if side == "left" else 4
            spots = [(lane + nudge, y_out + (y_in - y_out) * f) for f in FRACTIONS]
            labels.place(edge, spots, anchor)
            widest[side] = max(widest[side], text_width(edge.label, SMALL) + 10)
    left = PAD + LANE_GAP * lanes["left"] + widest["left"] + PAD
    right = PAD + LANE_GAP * lanes["right"] + max(widest["right"], 60) + PAD
    height = max(lowest, max(b.bottom for b in boxes.values())) + 24
    return Layout(-left, left + content + right, height, boxes, edges, initial)
