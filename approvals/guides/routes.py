"""The public pages of policy guides: the list of clauses, one clause's guide, and the
samples of its materials. Signed out too: nobody needs an account to read a policy."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, send_file
from sqlalchemy import select

from approvals.claims.storage import path_for
from approvals.clock import local_today
from approvals.downloads import evidence_headers, stored_file
from approvals.extensions import db
from approvals.guides import bp, listing, materials, page
from approvals.organisations.models import Department
from approvals.policies.vocabulary import FUNDING_TYPES


def listing_context(args) -> dict:
    """What the listing partial (templates/guides/_listing.html) shows: the search as asked,
    the clauses it finds, and the choices of its filters."""
    wanted = listing.Search.from_args(args)
    return {
        "search": wanted,
        "listed": listing.search(wanted, local_today()),
        "departments": list(db.session.scalars(select(Department).order_by(Department.id))),
        "funding_types": FUNDING_TYPES,
    }


@bp.get("")
def index():
    return render_template("guides/index.html", **listing_context(request.args))


@bp.get("/<policy_code>")
def clause(policy_code: str):
    found = page.guide(page.get_policy(policy_code), local_today())
    return render_template("guides/clause.html", guide=found, policy=found.policy)


@bp.get("/<policy_code>/materials/<kind>/sample")
@stored_file
def sample(policy_code: str, kind: str):
    row = materials.sample_of(page.get_policy(policy_code), kind)
    if row is None:
        abort(404)
    response = send_file(
        path_for(current_app.config["STORAGE_DIR"], row.sample_sha256),
        mimetype=row.sample_content_type,
        as_attachment=True,
        download_name=row.sample_filename,
    )
    return evidence_headers(response, row.sample_content_type)
