"""`gunicorn -c gunicorn.conf.py`, for real: two workers on a free port against a new SQLite
database, /healthz answering, /metrics summing what every worker counted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from approvals.config import REPO_ROOT
from tests.operations.conftest import closed_port, samples, total

pytest.importorskip("gunicorn")

VENV_BIN = Path(sys.executable).parent
START_SECONDS = 60
CREATE_TABLES = """
from approvals import create_app
from approvals.extensions import db
with create_app().app_context():
    db.create_all()
"""


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as res:
            return res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


@pytest.fixture
def served(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        "SECRET_KEY": "gunicorn-test-" + "k" * 32,
        "APPROVALS_STORAGE_DIR": str(tmp_path / "storage"),
        "BIND": f"127.0.0.1:{closed_port()}",
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    for key in ("LOG_FORMAT", "CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(key, None)
    # The tables from the models (the migrations have tests of their own), in a process of
    # its own as gunicorn's workers are.
    subprocess.run([sys.executable, "-c", CREATE_TABLES], cwd=REPO_ROOT, env=env, check=True)
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "approvals:create_app()"],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://{env['BIND']}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"gunicorn did not come up:\n{log.read()}")
            time.sleep(0.2)
        yield base, log
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def test_gunicorn_serves_health_and_metrics_from_every_worker(served):
    base, log = served
    for _ in range(6):
        status, headers, body = _get(f"{base}/healthz")
        assert status == 200
        assert json.loads(body)["status"] == "ok"
    assert len(headers["X-Request-Id"]) == 32

    status, headers, body = _get(f"{base}/metrics")
    assert status == 200
    scraped = samples(body.decode())
    # At least the six above plus the start-up probe, whichever workers answered them.
    assert total(scraped, "approvals_http_requests_total", endpoint="/healthz", status="200") >= 7
    assert total(scraped, "approvals_queue_depth") == 0  # a new database: no claims

    log.seek(0)
    access = [json.loads(line) for line in log if line.startswith('{"time"')]
    assert any(line["endpoint"] == "/healthz" and line["status"] == 200 for line in access)
