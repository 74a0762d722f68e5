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
from approvals.organisations.credit_code import make_credit_code
from approvals.organisations.models import Enterprise, User
from approvals.workflow import runtime

CLAIMS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def actor(name):
    return db.session.scalar(select(User).filter_by(username=name))


def claimant(i: int) -> User:
    """A new enterprise for each claim: an enterprise holds one live claim per policy."""
    name = f"基准企业{i:04d}有限公司"
    enterprise = Enterprise(
        name=name,
        credit_code=make_credit_code(f"91330100MC{i:07d}"),
        bank_name="中国银行示范市分行",
        bank_account=f"621799{i:013d}",
        account_name=name,
    )
    user = User(
        username=f"bench_{i:04d}", password_hash="!", role="enterprise", enterprise=enterprise
    )
    db.session.add_all([enterprise, user])
    db.session.commit()
    return user


def fire(name, cid, trigger, **payload):
    version = db.session.get(Claim, cid, populate_existing=True).version
    return runtime.advance(actor(name), cid, trigger, version=version, **payload)


def main() -> None:
    real_render = render.render_notice
    with demo_app():
        # Setting up: notices as stubs; what is measured below renders real ones.
        render.render_notice = lambda facts: b"%PDF-stub"
        ids = []
        for i in range(CLAIMS):
            ent = claimant(i)
            claim = services.create_claim(ent, "JMJ-PLAN", f"项目{i}", "1000.00")
            for kind in ("business_licence", "project_plan"):
                services.add_attachment(ent, claim.id, PDF, "a.pdf", kind)
            fire(ent.username, claim.id, "submit")
            fire(
                "reviewer_jmj", claim.id, "dept_approve", approved_amount="1000.00", comment="同意"
            )
            ids.append(claim.id)
        approve = []
        for cid in ids:
            start = time.perf_counter()
            fire("finance", cid, "finance_approve", comment="同意")
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
