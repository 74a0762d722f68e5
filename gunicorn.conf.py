"""gunicorn's settings for `make serve`: workers from the core count, timeouts, logs, metrics.

Every value can be overridden from the environment (BIND, WEB_CONCURRENCY, LOG_FORMAT,
PROMETHEUS_MULTIPROC_DIR) or on gunicorn's command line.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

INSTANCE = Path(__file__).resolve().parent / "instance"

bind = os.environ.get("BIND", "127.0.0.1:8000")
# gunicorn's rule of thumb, 2 × cores + 1, capped: each worker holds a database pool, and
# past a dozen the database, not the workers, is what runs out.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 12))
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"

# Production logs are JSON lines (approvals/operations/request_log.py) unless told otherwise.
os.environ.setdefault("LOG_FORMAT", "json")
# Each worker writes its metrics under this folder; /metrics sums them whoever answers.
# Set here, before any worker imports prometheus_client, which reads it at import.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(INSTANCE / "prometheus"))


def on_starting(server) -> None:
    """A fresh folder per start: the files of a previous run's workers would be summed in."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    # A dead worker's live gauges are dropped; its counters stay in the sums.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
