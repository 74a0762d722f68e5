"""A request id on every request and one access-log line per answer, JSON in production.

The id is the caller's `X-Request-Id` when it is a sane token (a proxy or a client that
already numbered the request), else a new one; it goes back in the answer's header so a
user's report, the access log and the proxy's log can be joined on it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, request

ACCESS_LOGGER = "approvals.access"
HEADER = "X-Request-Id"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The fields of an access line, in the order a JSON line shows them.
FIELDS = ("request_id", "method", "path", "endpoint", "status", "duration_ms", "user_id")
_JSON_HANDLER = "approvals.operations.json"

access_log = logging.getLogger(ACCESS_LOGGER)


class JsonLines(logging.Formatter):
    """One JSON object per record: the time in UTC, the level, the message's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "access", None)
        if fields is not None:
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def request_id(incoming: str | None) -> str:
    if incoming and _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    if app.config.get("LOG_FORMAT") == "json":
        _log_json()
    if access_log.level == logging.NOTSET:
        access_log.setLevel(logging.INFO)
    # First of all before_request functions, so the id exists for whatever logs after it and
    # the time covers the other hooks too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def _log_json() -> None:
    """A JSON handler on stderr, once per process (the tests create many apps); the lines
    do not also go to the root logger, which would print them a second time."""
    if any(h.name == _JSON_HANDLER for h in access_log.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.name = _JSON_HANDLER
    handler.setFormatter(JsonLines())
    access_log.addHandler(handler)
    access_log.propagate = False


def _start() -> None:
    g.request_id = request_id(request.headers.get(HEADER))
    g.request_started = time.perf_counter()


def elapsed_seconds() -> float:
    started = g.get("request_started")
    return time.perf_counter() - started if started is not None else 0.0


def endpoint_label() -> str:
    """The URL rule, never the raw path: one series per route, whatever the ids in it."""
    return request.url_rule.rule if request.url_rule is not None else "<unmatched>"


def _signed_in_user_id() -> int | None:
    # Only a user already loaded for this request: logging must not cost a query.
    user = g.get("api_user") or g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return user.id
    return None


def _finish(response: Response) -> Response:
    rid = g.get("request_id") or request_id(None)
    response.headers[HEADER] = rid
    fields = {
        "request_id": rid,
        "method": request.method,
        "path": request.path,
        "endpoint": endpoint_label(),
        "status": response.status_code,
        "duration_ms": round(elapsed_seconds() * 1000, 2),
        "user_id": _signed_in_user_id(),
    }
    access_log.info(
        "%(method)s %(path)s %(status)s %(duration_ms)sms request_id=%(request_id)s",
        fields,
        extra={"access": fields},
    )
    return response
