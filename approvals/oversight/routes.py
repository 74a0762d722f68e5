"""The oversight page (督查) and its CSV/XLSX exports, for the city government office."""

from __future__ import annotations

from flask import abort, render_template, request

from approvals.access.pages import roles_required
from approvals.finance.export import FORMATS, download
from approvals.oversight import bp, figures, tables
from approvals.ratings.service import by_department

# 市府办 oversees the whole programme (DOMAIN.md); the administrator sees what it sees.
READERS = ("government", "admin")


def _lines() -> list[figures.Line]:
    """The lines of the call year asked for (?year=), or of every year."""
    return figures.lines(request.args.get("year", type=int))


@bp.get("")
@roles_required(*READERS)
def index():
    lines = _lines()
    return render_template(
        "oversight/index.html",
        year=request.args.get("year", type=int),
        years=figures.call_years(),
        lines=lines,
        figures=tables.figures(lines),
        medians=tables.medians(lines),
        charts=[(line, tables.chart(line)) for line in lines],
        ratings=by_department(),  # 好差评, per department (approvals/ratings)
    )


def _download(table, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    year = request.args.get("year", type=int)
    name = f"oversight-{table.key}{f'-{year}' if year else ''}.{fmt}"
    return download(table.title, table.headers, table.rows, fmt, name)


@bp.get("/figures.<fmt>")
@roles_required(*READERS)
def figures_export(fmt):
    return _download(tables.figures(_lines()), fmt)


@bp.get("/stages.<fmt>")
@roles_required(*READERS)
def stages_export(fmt):
    return _download(tables.medians(_lines()), fmt)
