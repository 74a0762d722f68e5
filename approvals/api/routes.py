"""API v1 routes: parse JSON, call one service, serialise the answer."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from approvals import limits
from approvals.api import bp, parsing
from approvals.api.auth import token_required
from approvals.api.parsing import Amount, Inputs, Integer, QueryInteger, Scalar, Text
from approvals.api.serializers import claim_json, claim_summary, policy_json
from approvals.claims import agency, claimants, queries, services
from approvals.claims.models import Claim, ClaimEvent
from approvals.errors import Unauthorized
from approvals.extensions import db
from approvals.notices.queries import get_visible_notice, notices_for, still_rendering
from approvals.organisations.services import authenticate, issue_token, register_enterprise
from approvals.organisations.throttle import limited, named_account
from approvals.policies.models import Policy
from approvals.workflow import runtime
from approvals.workflow.registry import catalog

# What each body may hold, by kind (approvals/api/parsing.py); other keys are ignored.
CREDENTIALS = {"username": Text(limits.USERNAME), "password": Text(limits.PASSWORD)}
SIGN_UP = {
    **CREDENTIALS,
    "enterprise_name": Text(limits.ENTERPRISE_NAME),
    "credit_code": Text(limits.CREDIT_CODE),
    "display_name": Text(limits.DISPLAY_NAME),
}
CLAIM = {
    "policy_code": Text(limits.POLICY_CODE),
    "project_title": Text(limits.PROJECT_TITLE),
    "requested_amount": Amount(),
    "amount_inputs": Inputs(),
    "version": Integer(),
}
# 全程代办: an official files for the claimant named by its 统一社会信用代码.
NEW_CLAIM = {**CLAIM, agency.FIELD: Text(limits.CREDIT_CODE)}
TRANSITION = {"trigger": Text(limits.TRIGGER), "version": Integer()}
LISTING = {
    "state": Text(limits.STATE),
    "policy": Text(limits.POLICY_CODE),
    "limit": QueryInteger(1, queries.MAX_PAGE),
    "cursor": QueryInteger(),
}


def _body(spec: dict | None = None) -> dict:
    """The JSON object, its fields checked by `spec` (approvals/api/parsing.py)."""
    data = parsing.json_object()
    return parsing.fields(data, spec) if spec is not None else data


def _claim_response(actor, claim, status=200):
    # After a commit every attribute has expired: read the claim again with what its JSON
    # names, in a few statements rather than one per relationship (issue 14: 9 of the 12).
    claim = db.session.execute(
        select(Claim).where(Claim.id == claim.id).options(*JSON_LOADS)
    ).scalar_one()
    return jsonify(claim_json(claim, actor, notices_for(claim.id))), status


JSON_LOADS = (
    joinedload(Claim.policy),
    joinedload(Claim.filed_terms),
    joinedload(Claim.department),
    joinedload(Claim.enterprise),
    selectinload(Claim.attachments),
    selectinload(Claim.events).joinedload(ClaimEvent.actor),
    selectinload(Claim.review_tasks),
    selectinload(Claim.reward_recipients),
)


@bp.post("/auth/token")
@limited("signin", named_account)
def token():
    data = _body(CREDENTIALS)
    user = authenticate(data.get("username", ""), data.get("password", ""))
    if user is None:
        raise Unauthorized("用户名或密码错误", code="invalid_credentials")
    return jsonify({"token": issue_token(user), "role": user.role})


@bp.post("/auth/register")
@limited("signup", named_account)
def register():
    """Enterprise sign-up: the company and its first user; answers with a token."""
    data = _body(SIGN_UP)
    user = register_enterprise(
        data.get("enterprise_name"),
        data.get("credit_code"),
        data.get("username"),
        data.get("password"),
        data.get("display_name") or "",
    )
    return jsonify({"token": issue_token(user), "role": user.role}), 201


@bp.get("/policies")
@token_required
def policies(actor):
    rows = claimants.claimable(actor, db.session.scalars(select(Policy).order_by(Policy.code)))
    return jsonify({"items": [policy_json(p) for p in rows]})


@bp.post("/claims")
@token_required
def create_claim(actor):
    data = _body(NEW_CLAIM)
    values = [data.get(k) for k in ("policy_code", "project_title", "requested_amount")]
    values.append(data.get("amount_inputs"))
    if agency.FIELD in data:
        claim = agency.file_on_behalf(actor, data[agency.FIELD], *values)
    else:
        claim = services.create_claim(actor, *values)
    return _claim_response(actor, claim, 201)


@bp.post("/claims/<int:claim_id>/agency-consent")
@token_required
def agency_consent(actor, claim_id):
    """The claimant's user consents to the agency filing (`{version}`, optional)."""
    data = _body({"version": Integer()})
    return _claim_response(actor, agency.consent(actor, claim_id, data.get("version")))


@bp.get("/claims")
@token_required
def list_claims(actor):
    items, next_cursor = queries.list_claims(actor, **parsing.query(LISTING))
    return jsonify({"items": [claim_summary(c) for c in items], "next_cursor": next_cursor})


@bp.get("/claims/<int:claim_id>")
@token_required
def get_claim(actor, claim_id):
    return _claim_response(actor, services.get_visible(actor, claim_id))


@bp.patch("/claims/<int:claim_id>")
@token_required
def update_claim(actor, claim_id):
    data = _body(CLAIM)
    editable = ("project_title", "requested_amount", "amount_inputs")
    changes = {k: data[k] for k in editable if k in data}
    claim = services.update_claim(actor, claim_id, changes, version=data.get("version"))
    return _claim_response(actor, claim)


@bp.post("/claims/<int:claim_id>/attachments")
@token_required
def add_attachment(actor, claim_id):
    # Multipart text (kind, filename) went through approvals/input.py like every form.
    # Who may upload is decided before what was sent: a missing file is the service's
    # field error, after the claim's visibility and editability.
    upload = request.files.get("file")
    data, name = (upload.read(), upload.filename or "") if upload else (b"", "")
    attachment = services.add_attachment(actor, claim_id, data, name, request.form.get("kind", ""))
    return jsonify(
        {
            "id": attachment.id,
            "filename": attachment.filename,
            "kind": attachment.kind,
            "size": attachment.size,
            "sha256": attachment.sha256,
        }
    ), 201


def transition_fields() -> dict:
    """What a transition may carry besides its trigger and version: each field registered on
    the catalog (approvals/workflow/fields.py), by the kind its widget asks for. The
    workflow's `requires` says which a step needs; the field's parser checks the value."""
    kinds = {}
    for name, spec in catalog(current_app).fields.items():
        if spec.widget == "amount":
            kinds[name] = Amount()
        elif spec.max_length:
            kinds[name] = Text(spec.max_length)
        else:
            kinds[name] = Scalar()  # a short text or number, e.g. a count of days
    return kinds


@bp.post("/claims/<int:claim_id>/transitions")
@token_required
def transition(actor, claim_id):
    fields = transition_fields()
    data = _body({**fields, **TRANSITION})
    payload = {k: data[k] for k in fields if k in data}
    claim = runtime.advance(
        actor, claim_id, data.get("trigger", ""), version=data.get("version"), **payload
    )
    return _claim_response(actor, claim)


@bp.get("/notices/<int:notice_id>.pdf")
@token_required
def notice_pdf(actor, notice_id):
    notice = get_visible_notice(actor, notice_id)
    if notice.file is None:
        return still_rendering(notice)
    return Response(
        notice.pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="notice-{notice.id}.pdf"',
            "X-Content-SHA256": notice.sha256,
        },
    )
