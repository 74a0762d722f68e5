"""Reports pages: figures officials read, with SVG charts and CSV/XLSX exports."""

from __future__ import annotations

from flask import Response, render_template

from approvals.access.pages import roles_required
from approvals.errors import NotFound
from approvals.finance import bp, reports
from approvals.finance.charts import chart_for
from approvals.finance.export import CSV_MIME, XLSX_MIME, csv_bytes, xlsx_bytes

READERS = ("finance", "government", "admin")


@bp.get("/reports")
@roles_required(*READERS)
def reports_page():
    tables = reports.all_tables()
    return render_template(
        "finance/reports.html", tables=tables, charts={t.key: chart_for(t) for t in tables}
    )


@bp.get("/reports/<key>.<fmt>")
@roles_required(*READERS)
def report_export(key, fmt):
    table = reports.table(key)
    if table is None or fmt not in ("csv", "xlsx"):
        raise NotFound("报表不存在")
    if fmt == "csv":
        data, mimetype = csv_bytes(table.headers, table.rows), CSV_MIME
    else:
        data, mimetype = xlsx_bytes(table.title, table.headers, table.rows), XLSX_MIME
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="report-{key}.{fmt}"'},
    )
