"""API v1: 委派, an official naming a substitute for its review tasks for a period.

`GET /delegations` lists the actor's (`given` and `received`); `POST /delegations`
`{substitute_id, starts_on, ends_on, reason}` names one (201); `POST /delegations/<id>/revoke`
ends one. Errors as elsewhere: 403 (not an official), 404 (not one's own), 409
(`delegation_revoked`, `delegation_ended`), 422 naming each wrong field.
"""

from __future__ import annotations

from flask import jsonify

from approvals.api import bp, parsing
from approvals.api.auth import token_required
from approvals.api.parsing import Day, Integer, Text
from approvals.api.serializers import person_json
from approvals.claims import delegations
from approvals.clock import local_today

DELEGATION = {
    "substitute_id": Integer(),
    "starts_on": Day(),
    "ends_on": Day(),
    "reason": Text(delegations.REASON_MAX),
}


def delegation_json(delegation, today) -> dict:
    return {
        "id": delegation.id,
        "principal": person_json(delegation.principal),
        "substitute": person_json(delegation.substitute),
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
        "reason": delegation.reason,
        "status": delegations.status(delegation, today),
        "created_at": delegation.created_at.isoformat(),
        "revoked_at": delegation.revoked_at.isoformat() if delegation.revoked_at else None,
    }


@bp.get("/delegations")
@token_required
def list_delegations(actor):
    given, received = delegations.listed(actor)
    today = local_today()
    return jsonify(
        {
            "given": [delegation_json(d, today) for d in given],
            "received": [delegation_json(d, today) for d in received],
        }
    )


@bp.post("/delegations")
@token_required
def create_delegation(actor):
    data = parsing.body(DELEGATION)
    made = delegations.delegate(
        actor,
        data.get("substitute_id"),
        data.get("starts_on"),
        data.get("ends_on"),
        data.get("reason"),
    )
    return jsonify(delegation_json(made, local_today())), 201


@bp.post("/delegations/<int:delegation_id>/revoke")
@token_required
def revoke_delegation(actor, delegation_id):
    return jsonify(delegation_json(delegations.revoke(actor, delegation_id), local_today()))
