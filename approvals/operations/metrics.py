"""Prometheus metrics: requests, latency, transitions, and at scrape time notices pending and
queue depth.

Counters live in the process; under gunicorn with `PROMETHEUS_MULTIPROC_DIR` set (by
gunicorn.conf.py) each worker writes its own files and a scrape sums them all, whichever
worker answers. The gauges are read from the database at each scrape, by GROUP BY, so they
are the same from any worker and cost the same at 10k claims as at 10M.
"""

from __future__ import annotations

import hmac
import os

import sqlalchemy as sa
from flask import Flask, Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.operations.request_log import elapsed_seconds, endpoint_label
from approvals.workflow.registry import workflows

LOOPBACK = frozenset({"127.0.0.1", "::1"})
# Any other method is one series, so a client inventing methods cannot grow the label set.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Session.info key: the audit events flushed in the transaction, counted once it commits.
_FLUSHED = "approvals.operations.flushed_transitions"

REQUESTS = Counter(
    "approvals_http_requests",
    "HTTP requests answered, by method, URL rule and status.",
    ["method", "endpoint", "status"],
)
LATENCY = Histogram(
    "approvals_http_request_duration_seconds",
    "Time from the first request hook to the answer, by URL rule.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TRANSITIONS = Counter(
    "approvals_transitions",
    "Audit events committed (moves through the door, and review-task decisions as trigger "
    "task_decision), by workflow and trigger.",
    ["workflow", "trigger"],
)


def init_app(app: Flask) -> None:
    app.after_request(_observe)
    # Process-wide, like the audit guards: installed once, by the first app.
    if not event.contains(Session, "after_flush", _note_flushed_events):
        event.listen(Session, "after_flush", _note_flushed_events)
        event.listen(Session, "after_commit", _count_committed_events)
        event.listen(Session, "after_rollback", _forget_flushed_events)


def _observe(response: Response) -> Response:
    endpoint = endpoint_label()
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(method, endpoint, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(elapsed_seconds())
    return response


# Transitions, counted after commit: every move writes exactly one ClaimEvent (runtime.take
# through the claims' `record`), so the events that reached a commit are the moves taken;
# a rolled-back move counts nothing.
def _note_flushed_events(session: Session, _context) -> None:
    # session.new still lists what this flush inserted (SQLAlchemy's after_flush contract).
    for obj in session.new:
        if isinstance(obj, ClaimEvent):
            # The claim's own workflow, from the session's identity map (no query inside
            # the flush); an event written without its claim loaded names it in its
            # snapshot, or counts as "unknown".
            claim = session.identity_map.get(identity_key(Claim, obj.claim_id))
            workflow = claim.workflow if claim is not None else None
            workflow = workflow or ((obj.snapshot or {}).get("workflow") or {}).get("name")
            workflow = workflow or "unknown"
            session.info.setdefault(_FLUSHED, []).append((obj, workflow, obj.trigger))


def _count_committed_events(session: Session) -> None:
    for obj, workflow, trigger in session.info.pop(_FLUSHED, ()):
        # An event flushed inside a savepoint that was rolled back has left the session.
        if obj in session:
            TRANSITIONS.labels(workflow, trigger).inc()


def _forget_flushed_events(session: Session) -> None:
    session.info.pop(_FLUSHED, None)


# Reading /metrics.
def may_read() -> bool:
    """Loopback callers that did not come through a proxy, or the bearer of METRICS_TOKEN."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), str(token).encode()
        ):
            return True
    return request.remote_addr in LOOPBACK and "X-Forwarded-For" not in request.headers


def metrics() -> Response:
    if not may_read():
        abort(404)  # as if there were nothing here
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
        body = generate_latest(workers)
    else:
        body = generate_latest(REGISTRY)
    from_database = CollectorRegistry(auto_describe=False)
    from_database.register(_Families([notices_pending(), queue_depth()]))
    return Response(body + generate_latest(from_database), mimetype=CONTENT_TYPE_LATEST)


class _Families:
    """Metric families computed for one scrape."""

    def __init__(self, families):
        self.families = families

    def collect(self):
        return iter(self.families)


def pending_notice_count() -> int:
    """Notices whose PDF the outbox has not rendered yet (approvals/notices/outbox.py)."""
    from approvals.notices.models import Notice

    return db.session.scalar(sa.select(sa.func.count(Notice.id)).where(~Notice.file.has()))


def notices_pending() -> GaugeMetricFamily:
    gauge = GaugeMetricFamily("approvals_notices_pending", "Notices not yet rendered.")
    gauge.add_metric([], pending_notice_count())
    return gauge


def queue_depth() -> GaugeMetricFamily:
    """Claims waiting in each non-final state, labelled with the state's queue: one GROUP BY,
    then a few rows matched to their workflow version's states."""
    gauge = GaugeMetricFamily(
        "approvals_queue_depth",
        "Claims waiting in a state that is not final, by queue, workflow and state.",
        labels=["queue", "workflow", "state"],
    )
    rows = db.session.execute(
        sa.select(Claim.workflow, Claim.workflow_version, Claim.state, sa.func.count()).group_by(
            Claim.workflow, Claim.workflow_version, Claim.state
        )
    )
    loaded = workflows()
    depth: dict[tuple[str, str, str], int] = {}
    for workflow, version, state, count in rows:
        spec = loaded.get(workflow, version).spec if (workflow, version) in loaded else None
        state_spec = spec.states.get(state) if spec else None
        if state_spec is not None and state_spec.final:
            continue
        queue = (state_spec.queue if state_spec else None) or "none"
        key = (queue, workflow, state)
        depth[key] = depth.get(key, 0) + count
    for labels, count in sorted(depth.items()):
        gauge.add_metric(list(labels), count)
    return gauge
