"""Finance benchmark: reserve at approval, confirm a batch with real payout notices, reconcile."""

from __future__ import annotations

import statistics
import sys
import time

from demo_app import demo_app
from sqlalchemy import select

from approvals.claims import services
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance import batches, reconcile, reports
from approvals.notices import render
from approvals.organisations.models import User

CLAIMS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def actor(name):
    return db.session.scalar(select(User).filter_by(username=name))


def fire(name, cid, trigger, **payload):
    version = db.session.get(Claim, cid, populate_existing=True).version
    return services.advance(actor(name), cid, trigger, version=version, **payload)


def main() -> None:
    real_render = render.render_notice
    with demo_app():
        # Setting up: notices as stubs; what is measured below renders real ones.
        render.render_notice = lambda facts: b"%PDF-stub"
        ids = []
        for i in range(CLAIMS):
            claim = services.create_claim(actor("ent_huadong"), "JMJ-PLAN", f"项目{i}", "1000.00")
            for kind in ("business_licence", "project_plan"):
                services.add_attachment(actor("ent_huadong"), claim.id, PDF, "a.pdf", kind)
            fire("ent_huadong", claim.id, "submit")
            fire(
                "reviewer_jmj", claim.id, "dept_approve", approved_amount="1000.00", comment="同意"
            )
            ids.append(claim.id)
        approve = []
        for cid in ids:
            start = time.perf_counter()
            fire("finance", cid, "finance_approve")
            approve.append(time.perf_counter() - start)
        render.render_notice = real_render
        batch_id = batches.compose(actor("finance"), ids).id
        start = time.perf_counter()
        batches.confirm(actor("finance"), batch_id)
        confirm = time.perf_counter() - start
        start = time.perf_counter()
        report = reconcile.check()
        check = time.perf_counter() - start
        start = time.perf_counter()
        reports.all_tables()
        tables = time.perf_counter() - start
    print(f"claims: {CLAIMS} (SQLite)")
    median = statistics.median(approve) * 1000
    print(f"finance_approve with reservation, notices stubbed: median {median:.1f} ms")
    print(
        f"batch confirm, real payout notices + list notice: {confirm:.2f} s "
        f"({confirm / CLAIMS * 1000:.1f} ms per claim)"
    )
    print(f"check-ledger: {check * 1000:.0f} ms, {'ok' if report.ok else 'MISMATCH'}")
    print(f"all report tables: {tables * 1000:.0f} ms")


if __name__ == "__main__":
    main()
