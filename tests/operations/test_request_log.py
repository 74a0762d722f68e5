"""Request ids and the access log: one line per request, JSON when LOG_FORMAT=json."""

from __future__ import annotations

import json
import logging
import re

import pytest

from approvals.operations import request_log
from approvals.operations.request_log import ACCESS_LOGGER, JsonLines

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _access_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == ACCESS_LOGGER]


def test_sane_incoming_request_id_is_kept_and_returned(app):
    res = app.test_client().get("/healthz", headers={"X-Request-Id": "lb-7f3a.2_x"})
    assert res.headers["X-Request-Id"] == "lb-7f3a.2_x"


@pytest.mark.parametrize("incoming", [None, "", "a" * 65, "has space", "semi;colon", "中文"])
def test_missing_or_unsafe_request_id_is_replaced_by_a_new_one(app, incoming):
    headers = {} if incoming is None else {"X-Request-Id": incoming}
    res = app.test_client().get("/healthz", headers=headers)
    assert HEX_ID.fullmatch(res.headers["X-Request-Id"])


def test_each_request_gets_its_own_id(app):
    client = app.test_client()
    assert (
        client.get("/healthz").headers["X-Request-Id"]
        != (client.get("/healthz").headers["X-Request-Id"])
    )


def test_one_access_line_per_request_with_rule_and_status(app, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    res = app.test_client().get("/no/such/page")
    (line,) = _access_lines(caplog)
    fields = line.access
    assert fields["request_id"] == res.headers["X-Request-Id"]
    assert (fields["method"], fields["path"], fields["status"]) == ("GET", "/no/such/page", 404)
    assert fields["endpoint"] == "<unmatched>"
    assert fields["duration_ms"] >= 0
    assert fields["user_id"] is None
    # Plain by default: a readable line, not JSON.
    assert line.getMessage().startswith("GET /no/such/page 404 ")


def test_access_line_names_the_signed_in_user(api, seeded, caplog):
    from approvals.extensions import db
    from approvals.organisations.models import User

    ent = api("ent_huadong")  # signs in through the API
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    caplog.clear()
    ent.get("/api/v1/claims")
    (line,) = _access_lines(caplog)
    with seeded.app_context():
        user = db.session.scalar(db.select(User).filter_by(username="ent_huadong"))
        assert line.access["user_id"] == user.id
    assert line.access["endpoint"] == "/api/v1/claims"


def test_json_lines_carry_every_field(app, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
    app.test_client().get("/healthz", headers={"X-Request-Id": "abc"})
    (line,) = _access_lines(caplog)
    parsed = json.loads(JsonLines().format(line))
    assert set(request_log.FIELDS) | {"time", "level", "logger"} == set(parsed)
    assert parsed["request_id"] == "abc"
    assert parsed["endpoint"] == "/healthz"
    assert parsed["logger"] == ACCESS_LOGGER


def test_log_format_json_writes_json_lines_to_stderr(app, capfd):
    from approvals import create_app
    from approvals.extensions import db

    logger = logging.getLogger(ACCESS_LOGGER)
    json_app = second = None
    handlers, propagate = list(logger.handlers), logger.propagate
    try:
        json_app = create_app({**app.config, "LOG_FORMAT": "json"})
        second = create_app({**app.config, "LOG_FORMAT": "json"})  # adds no second handler
        capfd.readouterr()
        json_app.test_client().get("/healthz", headers={"X-Request-Id": "json-1"})
        lines = [json.loads(x) for x in capfd.readouterr().err.splitlines() if x.startswith("{")]
        assert [x["request_id"] for x in lines] == ["json-1"]
        assert lines[0]["status"] == 200
    finally:
        logger.handlers[:] = handlers
        logger.propagate = propagate
        for made in (json_app, second):  # their database connections, closed now
            if made is None:
                continue
            with made.app_context():
                db.engine.dispose()
