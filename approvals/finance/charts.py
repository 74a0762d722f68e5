"""Horizontal bar charts as inline SVG, drawn on the server: no script, no library."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

ROW = 26  # px per bar
LABEL_WIDTH = 220
BAR_WIDTH = 420
VALUE_WIDTH = 130


def _value_text(value) -> str:
    return f"{value:,.2f}" if isinstance(value, Decimal) else f"{value:,}"


def bar_chart(rows: list[tuple[str, Decimal | int]], title: str) -> Markup:
    """One bar per (label, value), scaled to the largest; the figures are printed too."""
    if not rows:
        return Markup("")
    top = max((v for _, v in rows), default=0) or 1
    height = ROW * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        length = 0 if value <= 0 else max(1.0, float(value) / float(top) * BAR_WIDTH)
        short = label if len(label) <= 16 else label[:15] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="12" '
            f'fill="#1f2933">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" '
            f'fill="#1d4f91" rx="2"><title>{escape(label)}：{_value_text(value)}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}" font-size="12" '
            f'fill="#5f6b7a">{_value_text(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def chart_for(table) -> Markup:
    if table.chart_column is None:
        return Markup("")
    rows = [(str(r[0]), r[table.chart_column]) for r in table.rows if r[0] != "合计"]
    return bar_chart(rows, f"{table.title}：{table.headers[table.chart_column]}")
