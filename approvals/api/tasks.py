"""API v1: review tasks, the work list of the officials who act on a claim together.

`GET /tasks?status=open` lists what the actor may act on: its department's tasks for its
role and the ones it holds (`open`: awaiting a decision, held or not, in a round the claim
is still in; `claimed`: those held; `done`: decided). `POST /tasks/<id>/claim` takes one,
`POST /tasks/<id>/decision` `{decision, opinion, version}` decides it (approvals/workflow/
tasks.py), with, on a sign-off chain's first step (经办), the values of the move the chain
fires (e.g. `approved_amount`), read as the transitions read them; errors as the
transitions': 403, 404, 409 `stale_version`, 422 naming each wrong field.
"""

from __future__ import annotations

from flask import jsonify

from approvals import limits
from approvals.api import bp, parsing
from approvals.api.auth import token_required
from approvals.api.parsing import Integer, QueryInteger, Text
from approvals.api.routes import transition_fields
from approvals.api.serializers import review_task_json
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.workflow import tasks
from approvals.workflow.task_spec import TASK_OPINION_FIELD

LISTING = {
    "status": Text(8),
    "limit": QueryInteger(1, tasks.MAX_PAGE),
    "cursor": QueryInteger(),
}
DECISION = {"decision": Text(16), "opinion": Text(limits.COMMENT), "version": Integer()}


def task_json(task, claim: Claim) -> dict:
    return {
        **review_task_json(task),
        "claim_id": claim.id,
        "claim_number": claim.number,
        # The deadline of the claim's step, while the claim is in the task's state.
        "due_at": claim.due_at.isoformat() if claim.due_at and claim.state == task.state else None,
    }


def _answer(task):
    return jsonify(task_json(task, db.session.get(Claim, task.claim_id)))


@bp.get("/tasks")
@token_required
def list_tasks(actor):
    args = parsing.query(LISTING)
    rows, next_cursor = tasks.queue(
        actor,
        Claim,
        status=args.get("status", "open"),
        limit=args.get("limit"),
        cursor=args.get("cursor"),
    )
    return jsonify({"items": [task_json(t, c) for t, c in rows], "next_cursor": next_cursor})


@bp.post("/tasks/<int:task_id>/claim")
@token_required
def claim_task(actor, task_id):
    return _answer(tasks.claim_task(actor, task_id))


@bp.post("/tasks/<int:task_id>/decision")
@token_required
def decide_task(actor, task_id):
    # The opinion is the task's own; the other declared fields are what a first step prepares.
    fields = {k: v for k, v in transition_fields().items() if k != TASK_OPINION_FIELD}
    data = parsing.body({**fields, **DECISION})
    task = tasks.decide(
        actor,
        task_id,
        data.get("decision"),
        data.get("opinion"),
        version=data.get("version"),
        prepared={k: data[k] for k in fields if k in data},
    )
    return _answer(task)
