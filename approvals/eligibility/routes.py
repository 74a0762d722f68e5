"""The calculator (政策计算器, signed out too), the pre-filled claim it links to, and the
enterprise's profile facts page (一企一档)."""

from __future__ import annotations

from functools import partial

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from approvals.access import can_view
from approvals.access.pages import roles_required
from approvals.claims import claimants, duplicates, services
from approvals.claims.forms import claim_form
from approvals.claims.page import amount_context
from approvals.claims.routes import draft_page
from approvals.claims.storage import path_for
from approvals.clock import local_today
from approvals.downloads import evidence_headers, file_name, stored_file
from approvals.eligibility import bp, calculator, facts_input, profile
from approvals.eligibility.forms import (
    BasicsForm,
    CalculatorForm,
    FiguresForm,
    QualificationForm,
    RemoveForm,
)
from approvals.errors import Invalid
from approvals.extensions import db
from approvals.forms import with_errors
from approvals.limits import parse_id
from approvals.policies.models import Policy

FACTS = "eligibility.facts_page"


def _enterprise():
    """The signed-in enterprise whose profile the calculator reads, or None."""
    if current_user.is_authenticated and current_user.role == "enterprise":
        return current_user.enterprise
    return None


@bp.get("/calculator")
def calculator_page():
    today, enterprise = local_today(), _enterprise()
    typed = bool(request.args.get("entered"))
    form = CalculatorForm(formdata=request.args if typed else None).offer()
    loan, errors = calculator.loan_inputs(request.args)
    facts = None
    if typed:
        facts, found = facts_input.entered(request.args, today)
        errors |= found
    elif enterprise is not None:
        facts = profile.facts_of(enterprise.id)
    for name, message in errors.items():
        form[name].errors = [_(message)]
    results = None
    if facts is not None and not errors:
        kind = enterprise.claimant_type if enterprise is not None else "enterprise"
        results = calculator.calculate(facts, today, loan, kind)
    page = render_template(
        "eligibility/calculator.html",
        form=form,
        results=results,
        from_profile=facts is not None and not typed,
        enterprise=enterprise,
        last_year=today.year - 1,
    )
    return page, 422 if errors else 200


@bp.route("/calculator/claim/<policy_code>", methods=["GET", "POST"])
@roles_required("enterprise")
def start_claim(policy_code: str):
    """The claim form of the clause, pre-filled from the profile; posted, the claim's own
    drafting (approvals/claims/routes.py draft_page) takes it from there."""
    policy = db.session.scalar(select(Policy).where(Policy.code == policy_code))
    enterprise = current_user.enterprise
    if policy is None:
        abort(404)
    if claimants.refusal(enterprise, policy):
        return redirect(url_for("claims.new", policy=policy.code))
    if request.method == "POST":
        create = partial(services.create_claim, current_user, policy.code)
        return draft_page(policy, enterprise.id, create, "claims/new.html")
    today = local_today()
    computed, inputs = (None, None)
    if not policy.is_recognition:
        facts = profile.facts_of(enterprise.id)
        computed, inputs = calculator.estimate(policy, facts, {}, today)
    prefill = {"project_title": policy.title_zh}
    if inputs is not None:  # the rule could be computed: its maximum is the amount asked
        prefill["requested_amount"] = f"{computed.maximum:.2f}"
    existing = duplicates.live_claim(enterprise.id, policy.id)
    return render_template(
        "claims/new.html",
        form=claim_form(policy, formdata=None, **prefill),
        policy=policy,
        existing=existing,
        existing_shown=existing is not None and can_view(current_user, existing),
        **amount_context(policy, stored=inputs or {}),
    )


# The profile facts (一企一档) -----------------------------------------------------------


def _facts_page(status: int = 200, **forms):
    enterprise_id = current_user.enterprise_id
    attachments = profile.offered_attachments(enterprise_id)
    context = {
        "basics_form": forms.get("basics")
        or BasicsForm(formdata=None, data=_basics(enterprise_id)),
        "figures_form": forms.get("figures")
        or FiguresForm(formdata=None, year=str(local_today().year - 1)),
        "qualification_form": forms.get("qualification") or QualificationForm(formdata=None),
        "remove_form": RemoveForm(formdata=None),
    }
    context["basics_form"].offer()
    context["qualification_form"].offer(attachments)
    found = profile.profile_of(enterprise_id)
    page = render_template("eligibility/facts.html", profile=found, today=local_today(), **context)
    return page, status


def _basics(enterprise_id: int) -> dict:
    row = profile.profile_of(enterprise_id).basics
    if row is None:
        return {}
    return {
        "industry_code": row.industry_code or "",
        "size": row.size or "",
        "established_on": row.established_on.isoformat() if row.established_on else "",
    }


def _save(form, save, name: str, done: str):
    """Validate the posted form, call the service, and come back to the page."""
    if not form.validate_on_submit():
        flash(_("页面已过期，请刷新后重试。"), "error")
        return redirect(url_for(FACTS))
    try:
        save(current_user, form.values())
    except Invalid as exc:
        with_errors(form, exc)
        return _facts_page(422, **{name: form})
    flash(done, "success")
    return redirect(url_for(FACTS) + f"#{name}")


@bp.get("/profile/facts")
@roles_required("enterprise")
def facts_page():
    return _facts_page()


@bp.post("/profile/facts/basics")
@roles_required("enterprise")
def save_basics():
    return _save(BasicsForm().offer(), profile.save_basics, "basics", _("基本情况已保存。"))


@bp.post("/profile/facts/figures")
@roles_required("enterprise")
def save_figures():
    return _save(FiguresForm(), profile.save_figures, "figures", _("年度数据已保存。"))


@bp.post("/profile/facts/qualifications")
@roles_required("enterprise")
def add_qualification():
    form = QualificationForm().offer(profile.offered_attachments(current_user.enterprise_id))
    return _save(form, profile.add_qualification, "qualification", _("资质已登记。"))


@bp.post("/profile/facts/qualifications/remove")
@roles_required("enterprise")
def remove_qualification():
    form = RemoveForm()
    qualification_id = parse_id(form.qualification_id.data)
    if not form.validate_on_submit() or qualification_id is None:
        flash(_("页面已过期，请刷新后重试。"), "error")
        return redirect(url_for(FACTS) + "#qualifications")
    profile.remove_qualification(current_user, qualification_id)
    flash(_("资质记录已删除。"), "success")
    return redirect(url_for(FACTS) + "#qualifications")


@bp.get("/profile/facts/evidence/<sha256>")
@roles_required("enterprise")
@stored_file
def evidence(sha256: str):
    row = profile.evidence_of(current_user, sha256)
    response = send_file(
        path_for(current_app.config["STORAGE_DIR"], row.evidence_sha256),
        mimetype=row.evidence_content_type,
        download_name=file_name(row.evidence_filename, row.evidence_content_type),
    )
    return evidence_headers(response, row.evidence_content_type)
