"""Reports pages: figures officials read, with SVG charts and CSV/XLSX exports."""

from __future__ import annotations

from flask import Response, render_template, stream_with_context

from approvals.access.pages import roles_required
from approvals.errors import NotFound
from approvals.finance import bp, report_snapshots
from approvals.finance.charts import chart_for
from approvals.finance.export import CSV_MIME, XLSX_MIME, csv_chunks, xlsx_chunks

READERS = ("finance", "government", "admin")


@bp.get("/reports")
@roles_required(*READERS)
def reports_page():
    report = report_snapshots.current()
    tables = report.tables
    return render_template(
        "finance/reports.html",
        report=report,
        tables=tables,
        charts={t.key: chart_for(t) for t in tables},
    )


@bp.get("/reports/<key>.<fmt>")
@roles_required(*READERS)
def report_export(key, fmt):
    table = report_snapshots.table(key) if fmt in ("csv", "xlsx") else None
    if table is None:
        raise NotFound("报表不存在")
    if fmt == "xlsx":
        chunks, mimetype = xlsx_chunks(table.title, table.headers, table.rows), XLSX_MIME
    else:
        chunks, mimetype = csv_chunks(table.headers, table.rows), CSV_MIME
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="report-{key}.{fmt}"'},
    )
