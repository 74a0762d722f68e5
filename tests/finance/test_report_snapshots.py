"""The reports page from its snapshot: computed once, served again while the data under it
has not moved, recomputed when a claim moves (here and now without a task queue; by the
worker with one, the page meanwhile showing the previous figures and saying so)."""

from __future__ import annotations

import csv
import io
import uuid
from contextlib import closing

import redis

from approvals import jobs
from approvals.extensions import db
from approvals.finance import reports
from approvals.finance.models import ReportSnapshot
from approvals.finance.report_snapshots import ALL, REFRESH_JOB
from tests.finance.conftest import signed_in
from tests.web.conftest import text


def _submitted(client) -> int:
    """The 待初审 row of the states table, as the CSV export gives it."""
    res = client.get("/finance/reports/states.csv")
    rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
    return next((int(n) for label, n in rows[1:] if label == "待初审"), 0)


def test_the_page_reads_its_snapshot_until_a_claim_moves(seeded, claims, monkeypatch):
    claims(1, to="submitted")
    client = signed_in(seeded, "finance")
    page = client.get("/finance/reports")
    assert page.status_code == 200 and "数据截至" in text(page)
    before = _submitted(client)

    def not_again():
        raise AssertionError("computed again though nothing moved")

    monkeypatch.setattr(reports, "all_tables", not_again)
    assert client.get("/finance/reports").status_code == 200  # the snapshot, as it was
    assert _submitted(client) == before
    monkeypatch.undo()

    claims(1, to="submitted")  # the data moved: the next page counts it
    assert _submitted(client) == before + 1
    assert "正在更新" not in text(client.get("/finance/reports"))


def test_with_a_queue_the_worker_recomputes_while_the_page_shows_the_last_figures(
    seeded, claims, redis_url
):
    claims(1, to="submitted")
    client = signed_in(seeded, "finance")
    before = _submitted(client)  # computed here: there was no snapshot yet
    claims(1, to="submitted")
    queue = f"approvals-test-{uuid.uuid4().hex[:8]}"  # from here on, the one job it holds
    seeded.config |= {"CELERY_BROKER_URL": redis_url, "CELERY_QUEUE": queue}
    with closing(redis.Redis.from_url(redis_url)) as broker:
        try:
            page = text(client.get("/finance/reports"))
            assert "正在更新" in page  # the previous figures, said to be so
            assert _submitted(client) == before
            assert broker.llen(queue) == 1  # asked once, however often the page is opened
            with seeded.app_context():
                jobs.run(REFRESH_JOB, [])  # what the worker runs
                assert db.session.get(ReportSnapshot, ALL).asked_at is None
            assert _submitted(client) == before + 1
            assert "正在更新" not in text(client.get("/finance/reports"))
        finally:
            broker.delete(queue)


def test_refresh_reports_computes_them_for_cron(seeded, claims):
    claims(1, to="submitted")
    result = seeded.test_cli_runner().invoke(args=["refresh-reports"])
    assert result.exit_code == 0 and result.output.startswith("reports computed in ")
    with seeded.app_context():
        assert db.session.get(ReportSnapshot, ALL).tables
