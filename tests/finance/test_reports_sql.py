"""Reports are grouped SQL: a constant number of statements whatever the claims, figures
equal to those worked out by hand, and exports that stream what the page shows."""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.finance import reports
from approvals.workflow.registry import engine_for
from tests.finance.conftest import signed_in

# (state, requested, approved): 核定 counts only once payable (approved) or paid (disbursed).
CLAIMS = [
    ("submitted", "1000.00", None),
    ("finance_review", "2000.00", "1800.00"),
    ("approved", "3000.00", "2500.00"),
    ("disbursed", "4000.00", "3500.50"),
]


def _make(make_claim, rounds: int = 1) -> None:
    for _ in range(rounds):
        for state, requested, approved in CLAIMS:
            extra = {"approved_amount": approved} if approved else {}
            make_claim(state, requested_amount=requested, **extra)


def _statements(app) -> int:
    seen = []

    def count(*args):
        seen.append(1)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            reports.all_tables()
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_a_report_takes_as_many_statements_for_30_claims_as_for_3(seeded, make_claim):
    _make(make_claim)
    few = _statements(seeded)
    _make(make_claim, rounds=7)
    assert _statements(seeded) == few


def test_money_figures_equal_the_sums_worked_out_by_hand(seeded, make_claim):
    _make(make_claim)
    with seeded.app_context():
        total = reports.money_by("year").rows[-1]
    assert total[0] == "合计"
    assert total[1:] == [
        4,
        Decimal("10000.00"),
        Decimal("6000.50"),  # approved 2500.00 + disbursed 3500.50; not finance_review
        Decimal("3500.50"),  # paid: the disbursed claim's 核定
        Decimal("0.00"),
        Decimal("0.00"),
    ]


def test_stage_medians_equal_those_of_the_claims_history(seeded, make_claim):
    _make(make_claim, rounds=2)
    with seeded.app_context():
        spans = defaultdict(list)  # the old computation, in Python, from every event
        for claim in db.session.scalars(select(Claim)):
            moves = [
                e
                for e in db.session.scalars(
                    select(ClaimEvent).filter_by(claim_id=claim.id).order_by(ClaimEvent.id)
                )
                if e.from_state != e.to_state
            ]
            for entered, left in zip(moves, moves[1:], strict=False):
                label = engine_for(claim).spec.label(entered.to_state)
                spans[label].append((left.at - entered.at).total_seconds())
        rows = {r[0]: r for r in reports.stage_durations().rows}
    assert set(rows) == set(spans)
    for label, seconds in spans.items():
        median = Decimal(statistics.median(seconds) / 3600).quantize(Decimal("0.1"))
        assert (rows[label][1], rows[label][5]) == (len(seconds), median)


@pytest.mark.parametrize("key", ["year", "states", "stages"])
def test_exports_stream_the_rows_of_the_page(seeded, make_claim, key):
    _make(make_claim)
    with seeded.app_context():
        table = reports.table(key)
    client = signed_in(seeded, "finance")
    with client.get(f"/finance/reports/{key}.csv") as res:
        assert res.is_streamed
        rows = list(csv.reader(io.StringIO(res.get_data().decode("utf-8-sig"))))
    assert rows == [table.headers, *([_csv_text(v) for v in row] for row in table.rows)]
    with client.get(f"/finance/reports/{key}.xlsx") as res:
        cells = list(load_workbook(io.BytesIO(res.get_data())).active.iter_rows(values_only=True))
    assert list(cells[0]) == table.headers
    assert [[_value(v) for v in r] for r in cells[1:]] == [
        [_value(v) for v in row] for row in table.rows
    ]


def _csv_text(value) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _value(value):
    """Numbers as Decimal: the workbook gives 10000.00 back as the int 10000."""
    return Decimal(str(value)) if isinstance(value, int | float | Decimal) else value
