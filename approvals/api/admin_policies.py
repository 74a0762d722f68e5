"""API v1: the administrator's clauses (政策条款), each edit a new version of their terms.

`GET /admin/policies` lists them; `POST /admin/policies` creates one (201); `GET` and `PATCH
/admin/policies/<code>` read and change one (`version` in the body refuses a stale edit,
409 `stale_version`); `GET /admin/policies/<code>/versions` lists its versions, newest
first, with the claims filed under each. A clause with claims keeps their versions: an
edit makes a new one. Errors as elsewhere: 401, 403 (not an administrator), 404, 400 (not
a JSON object), 422 naming each wrong field (`amount_rule.<key>` for a rule's keys).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import jsonify

from approvals import limits
from approvals.api import bp, parsing
from approvals.api.auth import token_required
from approvals.api.parsing import Amount, Boolean, Day, FieldError, Inputs, Integer, Text
from approvals.api.serializers import policy_json
from approvals.input import json_object
from approvals.money import fmt
from approvals.policies import services, versions


@dataclass(frozen=True)
class Codes:
    """A list of short codes (departments, evidence kinds, claimant types)."""

    max_items: int = 32

    def __call__(self, value):
        if not isinstance(value, list) or len(value) > self.max_items:
            raise FieldError(f"应为至多 {self.max_items} 项的列表")
        for item in value:
            Text(limits.POLICY_CODE)(item)
        return value


CLAUSE = {
    "code": Text(limits.POLICY_CODE),
    "title": Text(128),  # title_zh, as policy_json names it
    "title_zh": Text(128),
    "title_en": Text(256),
    "description": Text(2000),
    "department": Text(limits.POLICY_CODE),
    "joint_review": Codes(),
    "funding_type": Text(16),
    "cap": Amount(),
    "signoff_threshold": Amount(),
    "promise_days": Integer(),
    "offer_days": Integer(),  # 免申即享: working days an offer stays open
    "call_year": Integer(limits.YEAR_MIN, limits.YEAR_MAX),
    "window_open": Day(),
    "window_close": Day(),
    "required_evidence": Codes(),
    "claimant_types": Codes(),
    "workflow": Text(64),
    "amount_rule": Inputs(),
    "basis_title": Text(200),
    "basis_number": Text(64),
    "basis_clause": Text(64),
    "exclusive_group": Text(32),
    "requires_government_approval": Boolean(),
    "rewards_people": Boolean(),
    "proactive": Boolean(),
    "eligibility": lambda value: value,  # 资格条件: checked, key by key, by terms_input
    "version": Integer(),
}
# Terms a JSON null clears (for the others null means "not given", as everywhere).
CLEARABLE = ("amount_rule", "exclusive_group", "signoff_threshold", "promise_days", "eligibility")
CLEARABLE += ("offer_days",)


def _values() -> tuple[dict, int | None]:
    data = json_object()
    values = parsing.fields(data, CLAUSE)
    values |= {name: None for name in CLEARABLE if name in data and data[name] is None}
    if "title" in values:
        values.setdefault("title_zh", values.pop("title"))
    return values, values.pop("version", None)


def clause_json(policy) -> dict:
    return {
        **policy_json(policy),
        "version": policy.version,
        "description": policy.description,
        "call_year": policy.call_year,
        "joint_review": list(policy.joint_review or ()),
        "workflow": policy.workflow,
        "basis": {
            "title": policy.basis_title,
            "number": policy.basis_number,
            "clause": policy.basis_clause,
        },
        "exclusive_group": policy.exclusive_group,
        "signoff_threshold": fmt(policy.signoff_threshold),
        "promise_days": policy.promise_days,
        "proactive": policy.proactive,
        "offer_days": policy.offer_days,
        "eligibility": list(policy.eligibility or ()),
    }


def version_json(version, filed: int) -> dict:
    return {
        **clause_json(version),
        "version": version.version,
        "created_at": version.created_at.isoformat(),
        "created_by": version.created_by.username if version.created_by else None,
        "claims_filed": filed,
    }


@bp.get("/admin/policies")
@token_required
def admin_policies(actor):
    return jsonify({"policies": [clause_json(p) for p in services.listed(actor)]})


@bp.post("/admin/policies")
@token_required
def admin_create_policy(actor):
    values, _version = _values()
    return jsonify(clause_json(services.create(actor, values))), 201


@bp.get("/admin/policies/<policy_code>")
@token_required
def admin_policy(actor, policy_code):
    return jsonify(clause_json(services.get(actor, policy_code)))


@bp.patch("/admin/policies/<policy_code>")
@token_required
def admin_edit_policy(actor, policy_code):
    services.get(actor, policy_code)  # 403 and 404 before the body is read
    values, version = _values()
    return jsonify(clause_json(services.edit(actor, policy_code, values, version)))


@bp.get("/admin/policies/<policy_code>/versions")
@token_required
def admin_policy_versions(actor, policy_code):
    policy = services.get(actor, policy_code)
    filed = versions.claims_filed(policy)
    rows = [version_json(v, filed.get(v.version, 0)) for v in versions.history(policy)]
    return jsonify({"code": policy.code, "version": policy.version, "versions": rows})
