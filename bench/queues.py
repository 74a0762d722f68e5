"""Queue benchmark: 100,000 claims in SQLite; median time of a queue's first and a deep page."""

from __future__ import annotations

import random
import statistics
import sys
import time
import tomllib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from demo_app import demo_app
from sqlalchemy import insert, select

from approvals.claims import queries
from approvals.claims.models import Claim
from approvals.cli import DEMO_FILE
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy

CLAIMS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
RUNS = 21
# Roughly how claims spread over a year's programme.
STATES = {
    "draft": 8,
    "submitted": 30,
    "returned": 5,
    "finance_review": 15,
    "government_review": 8,
    "approved": 9,
    "disbursed": 20,
    "rejected": 3,
    "withdrawn": 2,
}
REACHED_FINANCE = {"finance_review", "government_review", "approved", "disbursed"}


def _rows(policies, enterprise_id, user_id, start_id):
    rnd = random.Random(7)
    states = rnd.choices(list(STATES), weights=list(STATES.values()), k=CLAIMS)
    created = datetime(2026, 1, 1, tzinfo=UTC)
    for offset, state in enumerate(states):
        policy = policies[offset % len(policies)]
        claim_id = start_id + offset
        yield {
            "id": claim_id,
            "number": f"{policy.call_year}-B-{claim_id:07d}",
            "workflow": "enterprise_claim",
            "workflow_version": 1,
            "policy_id": policy.id,
            "department_id": policy.department_id,
            "enterprise_id": enterprise_id,
            "created_by_id": user_id,
            "project_title": f"基准项目 {claim_id}",
            "requested_amount": Decimal("100000.00"),
            "approved_amount": Decimal("90000.00") if state in REACHED_FINANCE else None,
            "state": state,
            "version": 1,
            "reached_finance": state in REACHED_FINANCE,
            "reached_government": state in {"government_review", "approved", "disbursed"}
            and policy.requires_government_approval,
            "created_at": created + timedelta(minutes=offset),
            "updated_at": created + timedelta(minutes=offset),
            "submitted_at": created + timedelta(minutes=offset) if state != "draft" else None,
            # A tenth of the open claims are past their deadline.
            "due_at": datetime(2026 if offset % 10 == 0 else 2027, 3, 1, tzinfo=UTC),
        }


def _seed_claims() -> None:
    policies = list(db.session.scalars(select(Policy).order_by(Policy.id)))
    ent = db.session.scalar(select(User).where(User.username == "ent_huadong"))
    rows = list(_rows(policies, ent.enterprise_id, ent.id, 1))
    started = time.perf_counter()
    for chunk in range(0, len(rows), 10_000):  # executemany in chunks: one statement each
        db.session.execute(insert(Claim), rows[chunk : chunk + 10_000])
    db.session.commit()
    print(f"seeded {len(rows):,} claims in {time.perf_counter() - started:.1f} s")


def _median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        db.session.expunge_all()
    return statistics.median(times)


def _deep_cursor(actor, filters) -> str:
    """The cursor of a page about 80 % of the way into the queue."""
    page, cursor, pages = [], None, []
    while True:
        page, cursor = queries.queue_page(actor, filters, after=cursor, size=100)
        if cursor is None:
            break
        pages.append(cursor)
    return pages[int(len(pages) * 0.8)] if pages else None


def _page_request(app, actor, filters):
    """GET /queue as this actor: query, counts and template, the time a user waits."""
    client = app.test_client()
    # Signed in as a person is, so that the server-side session the pages check exists.
    password = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))["password"]
    res = client.post("/signin", data={"username": actor.username, "password": password})
    assert res.status_code == 302, res.status_code
    args = {"policy": filters.policy or "", "overdue": "y" if filters.overdue else ""}
    args["order"] = "newest" if filters.newest_first else "oldest"

    def get():
        assert client.get("/queue", query_string=args).status_code == 200

    return get


NONE_OVERDUE = queries.QueueFilter(overdue=True)
EARLY = datetime(2025, 12, 1, tzinfo=UTC)  # before every seeded deadline


def main() -> None:
    with demo_app() as app:
        _seed_claims()
        size = app.config["QUEUE_PAGE_SIZE"]
        print(f"queue page of {size}, median of {RUNS} runs")
        print(
            f"{'queue':<34}{'waiting':>9}{'first page':>12}{'deep page':>11}{'counts':>9}"
            f"{'whole page':>12}"
        )
        for username, label, filters in [
            ("reviewer_jmj", "reviewer JMJ (submitted)", queries.QueueFilter()),
            ("reviewer_jmj", "reviewer JMJ, one policy", queries.QueueFilter(policy="JMJ-PLAN")),
            ("reviewer_jmj", "reviewer JMJ, overdue only", queries.QueueFilter(overdue=True)),
            # As of a day before any deadline: nothing matches, the worst case of the filter.
            ("reviewer_jmj", "reviewer JMJ, overdue, none match", NONE_OVERDUE),
            ("finance", "finance (review + payout)", queries.QueueFilter()),
            ("finance", "finance, newest first", queries.QueueFilter(newest_first=True)),
            ("gov", "government", queries.QueueFilter()),
        ]:
            actor = db.session.scalar(select(User).where(User.username == username))
            waiting = sum(n for n, _ in queries.queue_counts(actor, filters.policy).values())
            deep = _deep_cursor(actor, filters)
            now = EARLY if filters is NONE_OVERDUE else None
            first_ms = _median_ms(
                lambda a=actor, f=filters, n=now: queries.queue_page(a, f, size=size, now=n)
            )
            deep_ms = _median_ms(
                lambda a=actor, f=filters, c=deep, n=now: queries.queue_page(
                    a, f, after=c, size=size, now=n
                )
            )
            count_ms = _median_ms(lambda a=actor, f=filters: queries.queue_counts(a, f.policy))
            http_ms = _median_ms(_page_request(app, actor, filters))
            print(
                f"{label:<34}{waiting:>9,}{first_ms:>10.2f}ms{deep_ms:>9.2f}ms{count_ms:>7.2f}ms"
                f"{http_ms:>10.2f}ms"
            )
        db.engine.dispose()


if __name__ == "__main__":
    main()
