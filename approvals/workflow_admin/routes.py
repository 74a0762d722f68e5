"""The administrator's workflow pages: the list of loaded versions, and one version drawn."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from approvals.access.pages import roles_required
from approvals.access.roles import ROLE_LABELS
from approvals.i18n import lang
from approvals.workflow_admin import bp, queries
from approvals.workflow_admin.diagram import guards, workflow_svg


def requested_version() -> int | None:
    """`?version=N`; absent: the newest. Anything but digits names no version: 404."""
    raw = request.args.get("version", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
        abort(404)
    return int(raw)


@bp.get("/admin/workflows")
@roles_required("admin")
def workflows():
    return render_template("admin/workflows.html", versions=queries.listing(current_user))


@bp.get("/admin/workflows/<name>")
@roles_required("admin")
def workflow(name: str):
    seen = queries.overview(current_user, name, requested_version())
    counts = {row.name: row.claims for row in seen.states}
    title = f"{seen.spec.name} v{seen.spec.version}"
    diagram = workflow_svg(seen.spec, counts, lang(), title)
    return render_template(
        "admin/workflow.html", seen=seen, diagram=diagram, guards=guards, role_labels=ROLE_LABELS
    )
