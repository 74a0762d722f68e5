"""API v1 routes: parse JSON, call one service, serialise the answer."""

from __future__ import annotations

from flask import Response, jsonify, request
from sqlalchemy import select

from approvals.api import bp
from approvals.api.auth import token_required
from approvals.api.serializers import claim_json, claim_summary, policy_json
from approvals.claims import queries, services
from approvals.errors import Invalid, Unauthorized
from approvals.extensions import db
from approvals.notices.queries import get_visible_notice, notices_for
from approvals.organisations.services import authenticate, issue_token, register_enterprise
from approvals.policies.models import Policy

# What a transition may carry (the workflow's `requires` says which a step needs).
TRANSITION_FIELDS = (
    "comment",
    "approved_amount",
    "payment_reference",
    "recovery_amount",
    "repayment_amount",
)


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("请求体应为 JSON 对象", fields={"body": "应为 JSON 对象"})
    return data


def _claim_response(actor, claim, status=200):
    return jsonify(claim_json(claim, actor, notices_for(claim.id))), status


@bp.post("/auth/token")
def token():
    data = _body()
    user = authenticate(str(data.get("username", "")), str(data.get("password", "")))
    if user is None:
        raise Unauthorized("用户名或密码错误", code="invalid_credentials")
    return jsonify({"token": issue_token(user), "role": user.role})


@bp.post("/auth/register")
def register():
    """Enterprise sign-up: the company and its first user; answers with a token."""
    data = _body()
    user = register_enterprise(
        data.get("enterprise_name"),
        data.get("credit_code"),
        data.get("username"),
        data.get("password"),
    )
    return jsonify({"token": issue_token(user), "role": user.role}), 201


@bp.get("/policies")
@token_required
def policies(actor):
    rows = db.session.scalars(select(Policy).order_by(Policy.code))
    return jsonify({"items": [policy_json(p) for p in rows]})


@bp.post("/claims")
@token_required
def create_claim(actor):
    data = _body()
    claim = services.create_claim(
        actor,
        data.get("policy_code"),
        data.get("project_title"),
        data.get("requested_amount"),
        data.get("amount_inputs"),
    )
    return _claim_response(actor, claim, 201)


@bp.get("/claims")
@token_required
def list_claims(actor):
    args = request.args
    items, next_cursor = queries.list_claims(
        actor,
        state=args.get("state"),
        policy=args.get("policy"),
        limit=args.get("limit"),
        cursor=args.get("cursor"),
    )
    return jsonify({"items": [claim_summary(c) for c in items], "next_cursor": next_cursor})


@bp.get("/claims/<int:claim_id>")
@token_required
def get_claim(actor, claim_id):
    return _claim_response(actor, services.get_visible(actor, claim_id))


@bp.patch("/claims/<int:claim_id>")
@token_required
def update_claim(actor, claim_id):
    data = _body()
    editable = ("project_title", "requested_amount", "amount_inputs")
    changes = {k: data[k] for k in editable if k in data}
    claim = services.update_claim(actor, claim_id, changes, version=data.get("version"))
    return _claim_response(actor, claim)


@bp.post("/claims/<int:claim_id>/attachments")
@token_required
def add_attachment(actor, claim_id):
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("请上传文件（multipart 字段 file）", fields={"file": "请选择要上传的文件"})
    attachment = services.add_attachment(
        actor, claim_id, upload.read(), upload.filename or "", request.form.get("kind", "")
    )
    return jsonify(
        {
            "id": attachment.id,
            "filename": attachment.filename,
            "kind": attachment.kind,
            "size": attachment.size,
            "sha256": attachment.sha256,
        }
    ), 201


@bp.post("/claims/<int:claim_id>/transitions")
@token_required
def transition(actor, claim_id):
    data = _body()
    payload = {k: data[k] for k in TRANSITION_FIELDS if k in data}
    claim = services.advance(
        actor, claim_id, str(data.get("trigger", "")), version=data.get("version"), **payload
    )
    return _claim_response(actor, claim)


@bp.get("/notices/<int:notice_id>.pdf")
@token_required
def notice_pdf(actor, notice_id):
    notice = get_visible_notice(actor, notice_id)
    return Response(
        notice.pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="notice-{notice.id}.pdf"',
            "X-Content-SHA256": notice.sha256,
        },
    )
