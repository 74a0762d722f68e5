"""The oversight page (督查) and its CSV/XLSX exports, for the city government office."""

from __future__ import annotations

from flask import Response, abort, render_template, request, stream_with_context

from approvals.access.pages import roles_required
from approvals.finance.export import CSV_MIME, XLSX_MIME, csv_chunks, xlsx_chunks
from approvals.oversight import bp, figures, tables

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
    )


def _download(table, fmt: str) -> Response:
    if fmt == "xlsx":
        chunks, mimetype = xlsx_chunks(table.title, table.headers, table.rows), XLSX_MIME
    elif fmt == "csv":
        chunks, mimetype = csv_chunks(table.headers, table.rows), CSV_MIME
    else:
        abort(404)
    year = request.args.get("year", type=int)
    name = f"oversight-{table.key}{f'-{year}' if year else ''}.{fmt}"
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/figures.<fmt>")
@roles_required(*READERS)
def figures_export(fmt):
    return _download(tables.figures(_lines()), fmt)


@bp.get("/stages.<fmt>")
@roles_required(*READERS)
def stages_export(fmt):
    return _download(tables.medians(_lines()), fmt)
