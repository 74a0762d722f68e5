"""Report totals equal the sums of the underlying claims; every table exports."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance import batches, recovery, reports
from tests.finance.conftest import actor, fire, signed_in


@pytest.fixture
def history(seeded, claims):
    """Claims in many states across policies, one batch paid, one recovery."""
    claims(2, to="submitted", amount="1500.00")
    claims(1, to="finance_review", policy="ZSJ-MAJOR", amount="7000.00")
    claims(2, to="approved", policy="JMJ-INFRA", amount="2500.25")
    paid = claims(3, to="approved", amount="1000.10")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), paid).id
        batches.confirm(actor("finance"), batch_id)
        claim = db.session.get(Claim, paid[0])
        recovery.start(actor("finance"), paid[0], "400.00", "迁出", version=claim.version)
        claim = db.session.get(Claim, paid[0], populate_existing=True)
        recovery.repay(actor("finance"), paid[0], "150.05", version=claim.version)
    [rejected] = claims(1, to="submitted", policy="KJJ-HITECH", amount="900.00")
    with seeded.app_context():
        fire("reviewer_kjj", rejected, "dept_reject", comment="不符合")
    return seeded


def _totals(table):
    return dict(zip(table.headers[1:], table.rows[-1][1:], strict=True))


@pytest.mark.parametrize("dimension", list(reports.DIMENSIONS))
def test_money_totals_equal_the_sums_of_the_claims(history, dimension):
    with history.app_context():
        claims = db.session.scalars(select(Claim).where(Claim.state != "draft")).all()
        table = reports.money_by(dimension)
    totals = _totals(table)
    assert totals["申报项目数"] == len(claims) == 9
    assert totals["申报金额"] == sum(c.requested_amount for c in claims)
    passed = ("approved", "disbursed", "in_recovery", "recovered", "written_off")
    approved = [c for c in claims if c.state in passed]
    assert totals["核定金额"] == sum(c.approved_amount for c in approved) == Decimal("8000.80")
    assert totals["已拨付"] == Decimal("3000.30")
    assert totals["核减金额"] == 0  # no batch was scaled: approved = paid for every paid claim
    assert totals["已追回"] == Decimal("150.05")
    # and the groups add up to the total row, column by column
    body = table.rows[:-1]
    for i in range(1, 7):
        assert sum(r[i] for r in body) == table.rows[-1][i]


def test_claims_by_state_counts_every_claim(history):
    with history.app_context():
        rows = dict(reports.claims_by_state().rows)
        assert sum(rows.values()) == db.session.query(Claim).count()
    assert rows["已拨付"] == 2 and rows["追回中"] == 1 and rows["待拨付"] == 2


def test_stage_durations_and_deadlines(history):
    with history.app_context():
        stages = {r[0]: r for r in reports.stage_durations().rows}
        deadlines = reports.deadlines().rows
    assert stages["待初审"][1] == 7  # every claim its department decided left 待初审
    review = next(r for r in deadlines if r[1].startswith("部门初审"))
    assert review[2] == 7 and review[4] == 2  # decided in time; two still in review


def test_reports_page_draws_charts_and_exports(history):
    client = signed_in(history, "gov")
    page = client.get("/finance/reports")
    assert page.status_code == 200
    assert page.data.count(b"<svg") >= 6
    res = client.get("/finance/reports/policy.csv")
    rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert rows[-1][0] == "合计" and rows[-1][4] == "3000.30"
    res = client.get("/finance/reports/funding_type.xlsx")
    values = list(load_workbook(io.BytesIO(res.data)).active.iter_rows(values_only=True))
    assert values[-1][0] == "合计"
    assert client.get("/finance/reports/nothing.csv").status_code == 404
