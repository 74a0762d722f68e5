"""Work a feature hands to the task queue, by name (approvals/worker.py runs it).

Kept apart from the worker so that registering a job imports nothing heavy (Celery is
loaded only where a queue is configured) and the worker imports no feature.
"""

from __future__ import annotations

from flask import Flask, current_app

JOBS = "approvals.jobs"


def register_job(app: Flask, name: str, job) -> None:
    """Name `job(*args)` for the queue."""
    app.extensions.setdefault(JOBS, {})[name] = job


def run(name: str, args: list):
    """Run the registered job `name` (inside the app's context)."""
    return current_app.extensions[JOBS][name](*args)
