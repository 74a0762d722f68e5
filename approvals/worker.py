"""The task queue (Celery) for work that follows a commit: rendering notices, paying a batch.

Configured by `CELERY_BROKER_URL` (Redis, e.g. redis://127.0.0.1:6379/1, or RabbitMQ,
amqp://guest:guest@127.0.0.1:5672//). With none (the embedded default) nothing here runs
and the web process renders right after each commit. `make worker` starts a worker:
`celery -A approvals.worker worker`, which builds the Flask app from the same environment
as the web process (DATABASE_URL, SECRET_KEY, the storage folder) and runs each task in its
app context.
"""

from __future__ import annotations

import logging

from celery import Celery, Task
from flask import Flask, current_app

from approvals import jobs

log = logging.getLogger(__name__)
BROKER = "CELERY_BROKER_URL"


def celery_for(app: Flask) -> Celery:
    """The app's Celery instance, made once, its tasks run inside the app's context."""
    existing = app.extensions.get("celery")
    if existing is not None:
        return existing

    class InAppContext(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.name, task_cls=InAppContext)
    celery.conf.update(
        broker_url=app.config[BROKER],
        task_default_queue=app.config.get("CELERY_QUEUE", "approvals"),
        task_ignore_result=True,
        # A lost worker leaves its task for another (a notice is rendered once anyway, and
        # a batch's items are paid once: approvals/finance/batch_queue.py).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # The web process publishes after its commit: a broker that does not answer must
        # not hold the request; the notice is rendered in the process instead.
        broker_connection_timeout=2,
        task_publish_retry=False,
    )
    celery.task(name="approvals.job")(_run)
    # Celery beat (`make worker` runs one) sends the tick (approvals/ticking.py) on its beat.
    if app.config.get("TICK_SECONDS"):
        celery.conf.beat_schedule = {
            "tick": {
                "task": "approvals.job",
                "schedule": float(app.config["TICK_SECONDS"]),
                "args": ["tick", []],
            }
        }
    app.extensions["celery"] = celery
    return celery


def _run(name: str, args: list) -> None:
    jobs.run(name, args)


def enqueue(name: str, *args) -> bool:
    """Hand a registered job to the queue's workers; False when no queue is configured or
    the broker did not take it (the caller does the work itself)."""
    if not current_app.config.get(BROKER):
        return False
    celery = celery_for(current_app._get_current_object())
    try:
        celery.send_task("approvals.job", args=[name, list(args)])
    except Exception:  # noqa: BLE001 — any broker failure: the caller does it instead
        log.exception("the task queue did not take %s%s: doing it here", name, args)
        return False
    return True


_worker: Celery | None = None


# `celery -A approvals.worker worker` asks for `celery`: only a worker process builds it
# (and its Flask app), once; the web process never does.
def __getattr__(name: str):
    global _worker
    if name != "celery":
        raise AttributeError(name)
    if _worker is None:
        from approvals import create_app

        _worker = celery_for(create_app())
    return _worker
