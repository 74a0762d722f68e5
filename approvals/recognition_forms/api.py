"""API v1 for the 申请认定表, under /api/v1/recognition-forms: thin routes over the services,
with the API's bearer token and error shape (approvals/api).

- `GET /` the forms the caller may see (`?call_year=`); `POST /` `{call_year, comment}`
  prepares one (经办);
- `GET /<id>`; `POST /<id>/check`, `/<id>/send`, `/<id>/return` `{version, comment}`;
- `GET /<id>.pdf` the issued notice of a sent form;
- `GET /report?year=` the deadline report (finance, government, admin).
"""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, jsonify, send_file

from approvals import limits
from approvals.api import parsing
from approvals.api.auth import token_required
from approvals.api.parsing import Integer, QueryInteger, Text
from approvals.clock import LOCAL
from approvals.errors import Forbidden, NotFound
from approvals.money import fmt
from approvals.recognition_forms import report, services
from approvals.recognition_forms.notice import total

bp = Blueprint("recognition_forms_api", __name__, url_prefix="/api/v1/recognition-forms")
PREPARE = {"call_year": Integer(2000, 2100), "comment": Text(limits.COMMENT)}
STEP = {"version": Integer(), "comment": Text(limits.COMMENT)}
YEAR = {"call_year": QueryInteger(2000, 2100), "year": QueryInteger(2000, 2100)}
STEPS = {"check": services.check, "send": services.send, "return": services.send_back}


def _time(value):
    return value.isoformat() if value is not None else None


def _who(user):
    return None if user is None else {"id": user.id, "name": user.display_name or user.username}


def form_json(form, actor) -> dict:
    return {
        "id": form.id,
        "department": form.department.code,
        "call_year": form.call_year,
        "status": form.status,
        "batch": form.batch_name or None,
        "version": form.version,
        "prepared_by": _who(form.prepared_by),
        "prepared_at": _time(form.prepared_at),
        "checked_by": _who(form.checked_by),
        "checked_at": _time(form.checked_at),
        "sent_by": _who(form.sent_by),
        "sent_at": _time(form.sent_at),
        "sent_on": form.sent_at.astimezone(LOCAL).date().isoformat() if form.sent_at else None,
        "notice_number": form.notice.number if form.notice else None,
        "claims": [
            {
                "id": item.claim_id,
                "number": item.claim.number,
                "enterprise": item.claim.enterprise.name,
                "project_title": item.claim.project_title,
                "approved_amount": fmt(item.approved_amount),
                "opinion": item.opinion,
                "forwarded": item.forwarded_at is not None,
            }
            for item in form.items
        ],
        "total": fmt(total(form)),
        "events": [
            {
                "action": e.action,
                "actor": _who(e.actor),
                "position": e.position,
                "at": _time(e.at),
                "comment": e.comment,
            }
            for e in form.events
        ],  # fmt: skip
        "available_actions": services.actions(actor, form),
    }


@bp.get("")
@token_required
def list_forms(actor):
    if actor.role not in ("reviewer", *services.READERS):
        raise Forbidden("当前角色无权查看申请认定表")
    args = parsing.query(YEAR)
    forms = services.list_forms(actor, args.get("call_year"))
    return jsonify({"items": [form_json(f, actor) for f in forms]})


@bp.post("")
@token_required
def prepare(actor):
    services.require_position(actor, "case_officer")  # refused before the body is read
    data = parsing.body(PREPARE)
    form = services.prepare(actor, data.get("call_year"), data.get("comment"))
    return jsonify(form_json(form, actor)), 201


@bp.get("/<int:form_id>")
@token_required
def show(actor, form_id):
    return jsonify(form_json(services.get_form(actor, form_id), actor))


@bp.post("/<int:form_id>/<action>")
@token_required
def step(actor, form_id, action):
    taken = STEPS.get(action)
    if taken is None:
        raise NotFound("未知的办理环节")
    services.get_form(actor, form_id)  # 404 for a form the caller may not see, first
    data = parsing.body(STEP)
    form = taken(actor, form_id, version=data.get("version"), comment=data.get("comment"))
    return jsonify(form_json(form, actor))


@bp.get("/<int:form_id>.pdf")
@token_required
def pdf(actor, form_id):
    form = services.get_form(actor, form_id)
    if form.notice is None:
        raise NotFound("该申请认定表尚未报送，没有通知书")
    return send_file(BytesIO(form.notice.pdf), mimetype="application/pdf",
                     download_name=f"{form.notice.number}.pdf")  # fmt: skip


@bp.get("/report")
@token_required
def deadline_report(actor):
    if actor.role not in services.READERS:
        raise Forbidden("报送情况仅供财政、市政府和系统管理员查看")
    args = parsing.query(YEAR)
    years = report.call_years()
    year = args.get("year") or (years[0] if years else None)
    if year is None:
        return jsonify({"call_year": None, "deadline": None, "departments": []})
    return jsonify(report.as_json(year, report.report(year)))
