"""API v1 for payout batches (拨付批次), under /api/v1/batches: thin routes over the
services, with the API's bearer token and error shape (approvals/api).

- `GET /<id>` one batch, with `progress` `{paid, total, running}`;
- `POST /<id>/confirm` pays it (finance): with a task queue configured the answer is 202
  at once, `Location` naming the batch to poll while a worker pays it; with none it is
  paid before the answer, 200. Confirming again resumes a batch cut off half-way.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from approvals.api.auth import token_required
from approvals.finance import batch_queue, batches
from approvals.finance.models import Batch

bp = Blueprint("finance_api", __name__, url_prefix="/api/v1/batches")


def _time(value):
    return value.isoformat() if value is not None else None


def batch_json(batch: Batch) -> dict:
    return {
        "id": batch.id,
        "name": batch.name,
        "state": batch.state,
        "state_label": batch.state_label,
        # Who asked first, and when; each payment's claim event names who paid that item.
        "confirmed_by_id": batch.confirmed_by_id,
        "started_at": _time(batch.started_at),
        "confirmed_at": _time(batch.confirmed_at),
        "progress": batch_queue.progress(batch),
        "url": url_for("finance_api.get_batch", batch_id=batch.id),
    }


@bp.get("/<int:batch_id>")
@token_required
def get_batch(actor, batch_id):
    return jsonify(batch_json(batches.get_batch(actor, batch_id)))


@bp.post("/<int:batch_id>/confirm")
@token_required
def confirm_batch(actor, batch_id):
    done = batch_queue.request_confirmation(actor, batch_id)
    if not done.queued:
        return jsonify(batch_json(done.batch))
    body = batch_json(done.batch)
    return jsonify(body), 202, {"Location": body["url"]}
