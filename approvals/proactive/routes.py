"""The department's pages: its proactive clauses, a clause's imports with the upload form,
and one import's report (the offers it made, the rows it rejected and why)."""

from __future__ import annotations

import csv
import io

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from approvals.access.pages import roles_required
from approvals.errors import DomainError
from approvals.proactive import bp, importing
from approvals.proactive.rows import HEADINGS


class ImportForm(FlaskForm):
    file = FileField(_l("名单文件（CSV 或 XLSX）"), validators=[FileRequired()])


def _clause_page(policy, form: ImportForm, status: int = 200):
    page = render_template(
        "proactive/clause.html",
        policy=policy,
        form=form,
        imports=importing.imports_of(policy),
        outcomes=importing.outcomes_of(policy),
        headings=[names[0] for names in HEADINGS.values()],
    )
    return page, status


@bp.get("/proactive")
@roles_required("reviewer")
def index():
    clauses = importing.clauses_of(current_user)
    outcomes = {p.id: importing.outcomes_of(p) for p in clauses}
    return render_template("proactive/index.html", clauses=clauses, outcomes=outcomes)


@bp.get("/proactive/<policy_code>")
@roles_required("reviewer")
def clause(policy_code: str):
    return _clause_page(importing.clause_for(current_user, policy_code), ImportForm())


@bp.post("/proactive/<policy_code>/imports")
@roles_required("reviewer")
def upload(policy_code: str):
    policy = importing.clause_for(current_user, policy_code)
    form = ImportForm()
    if not form.validate_on_submit():
        return _clause_page(policy, form, 422)
    data, name = form.file.data.read(), form.file.data.filename or ""
    try:
        done = importing.import_list(current_user, policy.code, name, data)
    except DomainError as exc:  # a file it cannot read, or an offer refused: nothing imported
        form.file.errors = [*form.file.errors, _(exc.message)]
        return _clause_page(policy, form, exc.status)
    flash(
        _(
            "已导入：发出兑现告知 %(offered)d 户，未通过校验 %(rejected)d 行。",
            offered=done.offered,
            rejected=len(done.rejected),
        ),  # fmt: skip
        "success" if not done.rejected else "warning",
    )
    return redirect(url_for("proactive.report", policy_code=policy.code, import_id=done.id), 303)


# Under the clause, so that a report's address names what it is a report of; the id read by
# parse_id (a number the address gives that is no id is simply not found).
@bp.get("/proactive/<policy_code>/imports/<import_id>")
@roles_required("reviewer")
def report(policy_code: str, import_id: str):
    batch = importing.get_import(current_user, policy_code, import_id)
    return render_template("proactive/report.html", batch=batch)


@bp.get("/proactive/<policy_code>/imports/<import_id>/rejected.csv")
@roles_required("reviewer")
def rejected_rows(policy_code: str, import_id: str):
    """The rejected rows with their reasons, as a list the department corrects and imports
    again (the reason column is not read back)."""
    batch = importing.get_import(current_user, policy_code, import_id)
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [column for column in HEADINGS]
    writer.writerow(["行号", *(HEADINGS[c][0] for c in columns), "未通过原因"])
    for row in batch.rejected:
        writer.writerow([row["row"], *(row.get(c, "") for c in columns), row["reason"]])
    return Response(
        "\ufeff" + out.getvalue(),  # a BOM, so that Excel reads the Chinese as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=rejected-{batch.id}.csv"},
    )
