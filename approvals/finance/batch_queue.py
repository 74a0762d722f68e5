"""Confirming a batch in the task queue's worker, and the progress the batch page shows.

Paying a batch is slow (one transaction and one notice per item), so with a task queue
configured (approvals/worker.py) the request only closes the batch for payment
(`batches.begin`: state `confirming`, who asked first and when, on the batch's own columns)
and hands the rest to a worker as the job `finance.confirm_batch` (the batch's id and the
confirming user's). With no queue, or a broker that does not take the job, the request pays
the batch itself right after that commit, as it always has. Either way the work is
`batches.confirm`: each item is taken under its claim's lock, which other payers skip, so a
job delivered twice (Celery redelivers a job whose worker was lost) or run beside a second
request pays nothing twice, and a run cut off half-way leaves the rest for the next one.

Progress needs no column of its own: it is the batch's items counted by status, and
`running` is the batch's `confirming` state (being paid, or cut off and waiting to be
confirmed again, which resumes it).
"""

from __future__ import annotations

from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, select

from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import Batch, BatchItem
from approvals.organisations.models import User

CONFIRM_JOB = "finance.confirm_batch"


class Confirmation(NamedTuple):
    batch: Batch
    queued: bool  # handed to a worker: the answer comes before the payment


def request_confirmation(actor: User, batch_id: int) -> Confirmation:
    """Confirm the batch: in a worker when a queue takes the job, else here and now."""
    # Read as the notices' outbox reads it: Celery is imported only where a queue is set.
    if current_app.config.get("CELERY_BROKER_URL"):
        batch = batches.begin(actor, batch_id)
        if batch.state == "confirmed":
            return Confirmation(batch, False)
        from approvals.worker import enqueue

        if enqueue(CONFIRM_JOB, batch_id, actor.id):
            return Confirmation(batch, True)
    return Confirmation(batches.confirm(actor, batch_id), False)


def confirm_job(batch_id: int, user_id: int) -> str:
    """The worker's job: pay the batch as the user who confirmed it; its final state."""
    return batches.confirm(db.session.get(User, user_id), batch_id).state


def progress(batch: Batch) -> dict:
    """`{paid, total, running}`: the batch's items counted by the database."""
    counts = dict(
        db.session.execute(
            select(BatchItem.status, func.count())
            .where(BatchItem.batch_id == batch.id)
            .group_by(BatchItem.status)
        ).all()
    )
    return {
        "paid": counts.get("paid", 0),
        "total": sum(counts.values()),
        "running": batch.state == "confirming",
    }
