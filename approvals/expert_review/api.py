"""API v1 for expert review: `/api/v1/expert-review/...`, thin over the same services as the
pages, errors in the API's shape (403, 404, 409, 422 naming each wrong field).

- `GET  /claims`: the expert's claims to score and scored, each with its sheet;
- `GET  /claims/<id>`: one sheet; `POST /claims/<id>/scores` `{points: {key: n}}` scores it;
- `POST /claims/<id>/conflict` `{reason}` declares a conflict of interest (回避);
- `GET  /rankings/<policy code>`: the clause's ranking; `POST .../fund` `{ranked: [ids]}`
  funds the best within the budget and refuses the rest (择优立项), `ranked` being the
  waiting claims' ids in the order the caller was shown.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from approvals.api import parsing
from approvals.api.auth import token_required
from approvals.api.parsing import FieldError, Inputs, Text
from approvals.errors import Invalid
from approvals.expert_review import ranking, scoring
from approvals.expert_review.models import REASON_MAX
from approvals.money import fmt

bp = Blueprint("expert_review_api", __name__, url_prefix="/api/v1/expert-review")

SCORES = {"points": Inputs(max_keys=32)}
CONFLICT = {"reason": Text(REASON_MAX)}


def _ids(value):
    if not isinstance(value, list) or len(value) > 10_000:
        raise FieldError("应为申报编号（id）的列表")
    if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise FieldError("应为整数列表")
    return value


FUND = {"ranked": _ids}


def sheet_json(sheet: scoring.Sheet) -> dict:
    claim = sheet.claim
    return {
        "claim_id": claim.id,
        "claim_number": claim.number,
        "policy_code": claim.policy.code,
        "policy_title": claim.policy.title_zh,
        "enterprise_name": claim.enterprise.name,
        "project_title": claim.project_title,
        "requested_amount": fmt(claim.requested_amount),
        "recused": sheet.recused,
        "open": sheet.open,
        "criteria": [
            {
                "key": c.key,
                "label_zh": c.label_zh,
                "label_en": c.label_en,
                "max_points": c.max_points,
                "points": sheet.points.get(c.key),
            }
            for c in sheet.criteria
        ],
        "total": sum(sheet.points.values()) if sheet.points else None,
    }


def ranking_json(result: ranking.Ranking) -> dict:
    cutoff = result.cutoff
    return {
        "policy_code": result.policy.code,
        "year": result.policy.call_year,
        "budget": fmt(result.budget.amount) if result.budget else None,
        "funded_total": fmt(result.funded_total),
        "scoring": result.scoring,
        "panel": [{"id": m.id, "name": m.display_name or m.username} for m in result.panel],
        "cutoff_claim_id": cutoff.claim.id if cutoff else None,
        "rows": [
            {
                "claim_id": r.claim.id,
                "claim_number": r.claim.number,
                "enterprise_name": r.claim.enterprise.name,
                "project_title": r.claim.project_title,
                "state": r.claim.state,
                "version": r.claim.version,
                "scores": {str(m.id): r.totals.get(m.id) for m in result.panel},
                "recused": sorted(r.recused & {m.id for m in result.panel}),
                "mean": f"{r.mean:f}" if r.mean is not None else None,
                "rank": r.rank,
                "amount": fmt(r.amount),
                "running_total": fmt(r.running),
                "funded": r.funded,
                "waiting": r.waiting,
            }
            for r in result.rows
        ],
    }


@bp.get("/claims")
@token_required
def assigned(actor):
    return jsonify({"items": [sheet_json(s) for s in scoring.assigned(actor)]})


@bp.get("/claims/<int:claim_id>")
@token_required
def sheet(actor, claim_id):
    return jsonify(sheet_json(scoring.sheet(actor, claim_id)))


@bp.post("/claims/<int:claim_id>/scores")
@token_required
def score(actor, claim_id):
    scoring.require_expert(actor)  # before the body: a non-expert learns nothing of the form
    data = parsing.body(SCORES)
    if "points" not in data:
        raise Invalid("请按评分标准逐项评分", fields={"points": "必填"})
    return jsonify(sheet_json(scoring.score(actor, claim_id, data["points"])))


@bp.post("/claims/<int:claim_id>/conflict")
@token_required
def declare_conflict(actor, claim_id):
    scoring.require_expert(actor)
    data = parsing.body(CONFLICT)
    return jsonify(sheet_json(scoring.declare_conflict(actor, claim_id, data.get("reason"))))


@bp.get("/rankings/<policy_code>")
@token_required
def ranking_of(actor, policy_code):
    return jsonify(ranking_json(ranking.for_department(actor, policy_code)))


@bp.post("/rankings/<policy_code>/fund")
@token_required
def fund(actor, policy_code):
    ranking.clause_for(actor, policy_code)  # before the body, as for the pages
    data = parsing.body(FUND)
    return jsonify(ranking_json(ranking.fund(actor, policy_code, data.get("ranked"))))
