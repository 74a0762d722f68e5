"""Confirming a batch hands its payment to the task queue when one is configured: the answer
comes at once, a worker pays item by item, finance follows the progress (API and page), and
a job delivered twice, or run twice at once, pays each claim once."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from approvals import jobs
from approvals.claims.models import ClaimEvent
from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.batch_queue import CONFIRM_JOB, confirm_job
from approvals.finance.models import Batch, LedgerEntry
from approvals.notices.outbox import pending_ids
from tests.finance.conftest import actor, reconciles, run_at_once, signed_in

CELERY = Path(sys.executable).with_name("celery")
POSTGRES = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def queue(seeded, redis_url):
    """queue() → from then on the app's jobs go to a queue of its own on the real Redis
    (no worker yet), and its name; its messages are dropped at the end. Set once the
    claims are made, so that it holds the batch's jobs only."""
    name = f"approvals-test-{uuid.uuid4().hex[:8]}"

    def use() -> str:
        seeded.config |= {"CELERY_BROKER_URL": redis_url, "CELERY_QUEUE": name}
        return name

    yield use
    with closing(redis.Redis.from_url(redis_url)) as client:
        client.delete(name)


@contextmanager
def worker(app, redis_url: str, queue: str, log: Path):
    """A worker process for `queue`, as `make worker` starts one, on the app's database."""
    env = os.environ | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "a-worker-secret-for-the-test-0123456789",
        "APPROVALS_STORAGE_DIR": app.config["STORAGE_DIR"],
        "CELERY_BROKER_URL": redis_url,
        "CELERY_QUEUE": queue,
    }
    args = [str(CELERY), "-A", "approvals.worker", "worker", "--pool", "solo"]
    args += ["--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"]
    with log.open("w") as out:
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _compose(app, ids) -> int:
    with app.app_context():
        return batches.compose(actor("finance"), ids).id


def _paid_once(app, batch_id: int, ids: list[int]) -> None:
    """Each claim paid once: one ledger payment, one payout event, one line in the bank file;
    the batch confirmed with its list, the books in order."""
    once = Counter({cid: 1 for cid in ids})
    with app.app_context():
        pays = db.session.scalars(select(LedgerEntry.claim_id).filter_by(kind="pay"))
        assert Counter(pays) == once
        paid = db.session.scalars(select(ClaimEvent.claim_id).filter_by(trigger="disburse"))
        assert Counter(paid) == once
        batch = db.session.get(Batch, batch_id)
        assert batch.state == "confirmed" and batch.list_notice is not None
    res = signed_in(app, "finance").get(f"/finance/batches/{batch_id}/payment.csv")
    rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))[1:]
    with app.app_context():
        numbers = {i.claim.number: i.claim_id for i in db.session.get(Batch, batch_id).items}
    assert Counter(numbers[row[7]] for row in rows) == once
    reconciles(app)


@pytest.mark.committed  # a worker process reads the rows: on PostgreSQL they must be committed
def test_a_worker_pays_the_batch_and_the_api_shows_its_progress(
    seeded, claims, api, redis_url, queue, tmp_path
):
    ids = claims(3, to="approved", amount="100.00")
    batch_id = _compose(seeded, ids)
    name = queue()
    finance = api("finance")
    res = finance.post(f"/api/v1/batches/{batch_id}/confirm")
    assert res.status_code == 202, res.json
    assert res.headers["Location"].endswith(f"/api/v1/batches/{batch_id}")
    assert res.json["state"] == "confirming"
    assert res.json["progress"] == {"paid": 0, "total": 3, "running": True}
    # Asked again before any worker runs: a second job, as a redelivery would give.
    assert finance.post(f"/api/v1/batches/{batch_id}/confirm").status_code == 202
    with closing(redis.Redis.from_url(redis_url)) as client:
        assert client.llen(name) == 2
    location = res.headers["Location"]
    assert finance.get(location).json["progress"]["paid"] == 0  # waiting for a worker

    log = tmp_path / "worker.log"
    seen = []
    with worker(seeded, redis_url, name, log):
        deadline = time.monotonic() + 120  # a worker's first notice loads WeasyPrint
        while time.monotonic() < deadline:
            progress = finance.get(location).json["progress"]
            seen.append(progress["paid"])
            if not progress["running"]:
                break
            time.sleep(0.1)
        # The second job runs after the first, before the notices the first queued: once
        # those are rendered and the queue is empty, both jobs are done.
        while time.monotonic() < deadline:
            with seeded.app_context(), closing(redis.Redis.from_url(redis_url)) as client:
                if not pending_ids() and client.llen(name) == 0:
                    break
            time.sleep(0.2)
    assert progress == {"paid": 3, "total": 3, "running": False}, log.read_text()
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == 3
    assert finance.get(location).json["state"] == "confirmed"
    _paid_once(seeded, batch_id, ids)


def test_without_a_queue_the_api_pays_before_it_answers(seeded, claims, api):
    batch_id = _compose(seeded, claims(2, to="approved", amount="100.00"))
    res = api("finance").post(f"/api/v1/batches/{batch_id}/confirm")
    assert res.status_code == 200 and "Location" not in res.headers
    assert res.json["state"] == "confirmed"
    assert res.json["progress"] == {"paid": 2, "total": 2, "running": False}
    assert api("ent_huadong").get(f"/api/v1/batches/{batch_id}").status_code == 403


def test_a_job_delivered_again_after_it_finished_pays_nothing_twice(seeded, claims):
    ids = claims(3, to="approved", amount="100.00")
    batch_id = _compose(seeded, ids)
    with seeded.app_context():
        finance_id = actor("finance").id
        assert jobs.run(CONFIRM_JOB, [batch_id, finance_id]) == "confirmed"
        assert jobs.run(CONFIRM_JOB, [batch_id, finance_id]) == "confirmed"
    _paid_once(seeded, batch_id, ids)


@POSTGRES
@pytest.mark.committed  # threads, each on its own connection
def test_a_job_run_twice_at_once_pays_each_claim_once(seeded, claims):
    ids = claims(12, to="approved", amount="100.00")
    batch_id = _compose(seeded, ids)
    with seeded.app_context():
        finance_id = actor("finance").id
    results = run_at_once(seeded, [lambda: confirm_job(batch_id, finance_id)] * 2)
    assert results == ["confirmed", "confirmed"], results
    _paid_once(seeded, batch_id, ids)


def test_the_batch_page_shows_a_labelled_progress_bar_while_it_is_paid(seeded, claims, queue):
    batch_id = _compose(seeded, claims(2, to="approved", amount="100.00"))
    queue()
    client = signed_in(seeded, "finance")
    res = client.post(f"/finance/batches/{batch_id}/confirm", data={"confirmed": "1"})
    assert res.status_code == 302
    page = client.get(f"/finance/batches/{batch_id}").get_data(as_text=True)
    assert "已开始逐项拨付，本页显示进度" in page
    assert f'data-batch-progress="/finance/batches/{batch_id}/progress"' in page
    assert '<label for="batch-progress" aria-live="polite">已拨付 0 / 2 项</label>' in page
    assert '<progress id="batch-progress" max="2" value="0">' in page
    progress = client.get(f"/finance/batches/{batch_id}/progress").json
    assert progress == {"paid": 0, "total": 2, "running": True, "label": "已拨付 0 / 2 项"}

    with seeded.app_context():  # what the worker would do
        jobs.run(CONFIRM_JOB, [batch_id, actor("finance").id])
    page = client.get(f"/finance/batches/{batch_id}").get_data(as_text=True)
    assert '<progress id="batch-progress" max="2" value="2">' in page
    assert "data-batch-progress" not in page  # done: nothing left to follow
    assert client.get(f"/finance/batches/{batch_id}/progress").json["running"] is False
