"""/healthz: 200 when the database and the configured queue answer, 503 when one does not,
and nothing in it but whether each answers."""

from __future__ import annotations

import pytest

from approvals import create_app
from tests.conftest import base_config
from tests.operations.conftest import closed_port


@pytest.fixture(autouse=True)
def no_queue_from_the_environment(monkeypatch):
    # The checks read the environment too; these tests say which queue there is.
    for key in ("CELERY_BROKER_URL", "REDIS_URL"):
        monkeypatch.delenv(key, raising=False)


def test_healthy_without_a_queue_answers_200_without_signing_in(app):
    res = app.test_client().get("/healthz")
    assert res.status_code == 200
    assert res.json["status"] == "ok"
    assert res.json["database"]["ok"] is True
    assert res.json["queue"] == {"configured": False}


def test_health_reveals_only_whether_each_part_answers(app):
    body = app.test_client().get("/healthz").json
    assert set(body) == {"status", "database", "queue"}
    assert set(body["database"]) == {"ok", "latency_ms"}


def test_unreachable_database_is_degraded_503(tmp_path):
    missing = tmp_path / "no such folder" / "approvals.sqlite3"
    app = create_app(base_config(tmp_path, f"sqlite:///{missing}"))
    res = app.test_client().get("/healthz")
    assert res.status_code == 503
    assert res.json == {"status": "degraded", "database": {"ok": False}, "queue": res.json["queue"]}
    assert "sqlite" not in res.get_data(as_text=True)  # no error text, no address


def test_redis_queue_that_answers_is_healthy(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    res = app.test_client().get("/healthz")
    assert res.status_code == 200, res.json
    assert res.json["queue"]["configured"] is True
    assert res.json["queue"]["ok"] is True


def test_celery_broker_is_checked_before_plain_redis(app, redis_url):
    app.config["REDIS_URL"] = redis_url
    app.config["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{closed_port()}/0"
    res = app.test_client().get("/healthz")
    assert res.status_code == 503
    assert res.json["status"] == "degraded"
    assert res.json["queue"]["ok"] is False


@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_queue_that_does_not_answer_is_degraded_503(app, scheme):
    app.config["CELERY_BROKER_URL"] = f"{scheme}://guest@127.0.0.1:{closed_port()}//"
    res = app.test_client().get("/healthz")
    assert res.status_code == 503
    assert res.json["database"]["ok"] is True
    assert res.json["queue"]["ok"] is False
    assert "127.0.0.1" not in res.get_data(as_text=True)


def test_queue_from_the_environment(app, redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    assert app.test_client().get("/healthz").json["queue"]["ok"] is True


def test_health_keeps_the_security_headers(app):
    res = app.test_client().get("/healthz")
    assert res.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in res.headers
    assert res.headers["X-Content-Type-Options"] == "nosniff"
