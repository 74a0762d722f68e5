"""API v1: the people a claim rewards (有功人员), listed, named and removed while it is editable.

`GET /claims/<id>/reward-recipients` lists them (identity numbers masked for everyone),
`POST` names one `{name, id_number, amount, bank_name, bank_account, contribution}` and
`DELETE /claims/<id>/reward-recipients/<recipient id>` removes one; errors as the claim's.
"""

from __future__ import annotations

from flask import jsonify

from approvals.api import bp, parsing
from approvals.api.auth import token_required
from approvals.api.parsing import Amount, Text
from approvals.claims import rewards, services
from approvals.clock import local_today
from approvals.money import fmt

RECIPIENT = {
    "name": Text(rewards.NAME_MAX),
    "id_number": Text(18),
    "amount": Amount(),
    "bank_name": Text(128),
    "bank_account": Text(64),
    "contribution": Text(rewards.CONTRIBUTION_MAX),
}


def _listed(actor, claim):
    return jsonify(
        {
            "items": [rewards.shown(r, actor) for r in claim.reward_recipients],
            "total": fmt(rewards.rewards_total(claim)),
            "version": claim.version,
        }
    )


@bp.get("/claims/<int:claim_id>/reward-recipients")
@token_required
def list_reward_recipients(actor, claim_id):
    return _listed(actor, services.get_visible(actor, claim_id))


@bp.post("/claims/<int:claim_id>/reward-recipients")
@token_required
def add_reward_recipient(actor, claim_id):
    claim = services.get_visible(actor, claim_id)
    rewards.require_editable(actor, claim)  # who may, before what was sent
    data = parsing.body(RECIPIENT)
    if "amount" in data:
        data["amount"] = fmt(data["amount"])  # the service reads the amount as typed
    person = rewards.add_recipient(actor, claim, data, local_today())
    return jsonify(rewards.shown(person, actor)), 201


@bp.delete("/claims/<int:claim_id>/reward-recipients/<recipient_id>")
@token_required
def remove_reward_recipient(actor, claim_id, recipient_id):
    claim = services.get_visible(actor, claim_id)
    rewards.remove_recipient(actor, claim, recipient_id)
    return _listed(actor, services.get_visible(actor, claim_id))
