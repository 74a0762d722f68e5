"""Reports pages: figures officials read, with SVG charts and CSV/XLSX exports."""

from __future__ import annotations

from flask import render_template

from approvals.access.pages import roles_required
from approvals.errors import NotFound
from approvals.finance import bp, report_snapshots
from approvals.finance.charts import chart_for
from approvals.finance.export import FORMATS, download

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
    table = report_snapshots.table(key) if fmt in FORMATS else None
    if table is None:
        raise NotFound("报表不存在")
    return download(table.title, table.headers, table.rows, fmt, f"report-{key}.{fmt}")
