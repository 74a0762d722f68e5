"""`/healthz`: whether the database and the task queue answer, for load balancers and probes.

It says only whether each part answers and how fast: no address, no version, no error text,
since anyone may ask.
"""

from __future__ import annotations

import os
import socket
import time
from contextlib import closing
from urllib.parse import urlsplit

import redis
import sqlalchemy as sa
from flask import current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from approvals.extensions import db

# Where the task queue is named, first found wins: Celery's broker, else a plain Redis.
QUEUE_KEYS = ("CELERY_BROKER_URL", "REDIS_URL")
TIMEOUT_SECONDS = 2.0
# Brokers inside the process (Celery's in-memory transport, used in tests) always answer.
IN_PROCESS = frozenset({"memory", "cache+memory"})
REDIS_SCHEMES = frozenset({"redis", "rediss", "unix"})
DEFAULT_PORTS = {"amqp": 5672, "amqps": 5671, "pyamqp": 5672}


def healthz():
    database = database_check()
    queue = queue_check()
    healthy = database["ok"] and queue.get("ok", True)
    body = {"status": "ok" if healthy else "degraded", "database": database, "queue": queue}
    return jsonify(body), 200 if healthy else 503


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def database_check() -> dict:
    """`SELECT 1` through the app's session, so through its engine and pool."""
    started = time.perf_counter()
    try:
        db.session.execute(sa.text("SELECT 1"))
        db.session.rollback()  # hand the connection back to the pool now
    except SQLAlchemyError:
        db.session.rollback()
        return {"ok": False}
    return {"ok": True, "latency_ms": _since(started)}


def queue_url() -> str | None:
    for key in QUEUE_KEYS:
        url = current_app.config.get(key) or os.environ.get(key)
        if url:
            return url
    return None


def queue_check() -> dict:
    url = queue_url()
    if url is None:
        return {"configured": False}
    started = time.perf_counter()
    return {"configured": True, "ok": _answers(url), "latency_ms": _since(started)}


def _answers(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    if scheme in IN_PROCESS:
        return True
    try:
        if scheme in REDIS_SCHEMES:
            client = redis.Redis.from_url(
                url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
            )
            with closing(client):
                return bool(client.ping())
        # Another broker (RabbitMQ): that it accepts a connection is what can be told
        # without its client library.
        parts = urlsplit(url)
        port = parts.port or DEFAULT_PORTS.get(scheme)
        if not parts.hostname or not port:
            return False
        with socket.create_connection((parts.hostname, port), timeout=TIMEOUT_SECONDS):
            return True
    except (redis.RedisError, OSError, ValueError):
        return False
