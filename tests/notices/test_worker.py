"""Notices rendered by a real Celery worker on a real Redis when a task queue is configured:
the web process commits the transition and hands the notice to the queue; a worker process
(`celery -A approvals.worker worker`, as `make worker` starts it) renders and stores it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from approvals import create_app
from approvals.demo import seed
from approvals.extensions import db
from tests.conftest import DEMO, PASSWORD, ApiClient, base_config

CELERY = Path(sys.executable).with_name("celery")


@pytest.fixture
def queued_app(tmp_path, redis_url):
    """An app on a SQLite file with the demo data whose notices go to a queue of its own,
    and a worker process for that queue: (app, the worker's log file)."""
    database = f"sqlite:///{tmp_path / 'queued.sqlite3'}"
    queue = f"approvals-test-{uuid.uuid4().hex[:8]}"
    config = base_config(tmp_path, database) | {
        "CELERY_BROKER_URL": redis_url,
        "CELERY_QUEUE": queue,
    }
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed(DEMO)
    log = tmp_path / "worker.log"
    env = os.environ | {
        "DATABASE_URL": database,
        "SECRET_KEY": "a-worker-secret-for-the-test-0123456789",
        "APPROVALS_STORAGE_DIR": config["STORAGE_DIR"],
        "CELERY_BROKER_URL": redis_url,
        "CELERY_QUEUE": queue,
    }
    args = [str(CELERY), "-A", "approvals.worker", "worker", "--pool", "solo"]
    args += ["--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"]
    with log.open("w") as out:
        worker = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    yield app, log
    worker.terminate()
    worker.wait(timeout=30)
    with app.app_context():
        db.engine.dispose()


def _signed_in(app, username: str) -> ApiClient:
    client = app.test_client()
    res = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert res.status_code == 200, res.json
    return ApiClient(client, res.json["token"])


def test_a_worker_renders_the_notice_after_the_commit(queued_app):
    app, log = queued_app
    ent = _signed_in(app, "ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    assert ent.fire(claim["id"], "submit").status_code == 200  # answered before the render
    deadline = time.monotonic() + 90  # a worker's first notice loads WeasyPrint and fonts
    while True:
        receipt = next(n for n in ent.claim(claim["id"]).json["notices"])
        if receipt["status"] == "issued" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert receipt["status"] == "issued", log.read_text()
    pdf = ent.get(receipt["url"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # the worker rendered it, not the web process
    assert re.search(r"Task approvals\.job\[[^\]]+\] succeeded", log.read_text())
    result = app.test_cli_runner().invoke(args=["check-audit"])
    assert result.exit_code == 0, result.output


def test_a_queue_that_does_not_answer_leaves_the_rendering_to_the_web_process(tmp_path):
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'down.sqlite3'}")
    app = create_app(config | {"CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0"})
    with app.app_context():
        db.create_all()
        seed(DEMO)
    ent = _signed_in(app, "ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    assert ent.fire(claim["id"], "submit").status_code == 200
    receipt = next(n for n in ent.claim(claim["id"]).json["notices"])
    assert receipt["status"] == "issued"  # rendered here, at once
    with app.app_context():
        db.engine.dispose()
