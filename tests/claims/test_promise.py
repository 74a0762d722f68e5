"""兑现时限: a clause promising payout within n working days of acceptance. The claim page
shows the promise and the days left; a return for supplement restarts it from the complete
resubmission; the first payment records whether it was kept; the reports count kept
promises per clause."""

from datetime import date

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.clock import local_today
from approvals.extensions import db
from approvals.finance import reports
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.conftest import SEPTEMBER, set_clock
from tests.finance.conftest import signed_in


def _claim(claim_id) -> Claim:
    return db.session.get(Claim, claim_id, populate_existing=True)


def _submitted(seeded, api, make_policy, on="2026-09-29T10:00") -> int:
    code = make_policy(
        call_year=2026,
        window_open=SEPTEMBER[0],
        window_close=SEPTEMBER[1],
        required_evidence=[],
        promise_days=5,
    )
    set_clock(seeded, on)
    ent = api("ent_huadong")
    claim = ent.create_claim(code, "1000.00")
    assert ent.fire(claim["id"], "submit").status_code == 200
    return claim["id"]


def test_acceptance_starts_the_promise_and_the_page_shows_what_is_left(seeded, api, make_policy):
    claim_id = _submitted(seeded, api, make_policy)  # Tue 29 Sep: 30 Sep, 8, 9, 10, 12 Oct
    with seeded.app_context():
        assert _claim(claim_id).promise_due == date(2026, 10, 12)
    set_clock(seeded, "2026-10-09T10:00")  # 10 Oct (make-up Saturday) and 12 Oct are left
    page = signed_in(seeded, "ent_huadong").get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "受理后5个工作日内兑现（至2026-10-12）" in page
    assert "还剩 2 个工作日" in page


def test_a_return_for_supplement_counts_the_promise_again_from_the_resubmission(
    seeded, api, make_policy
):
    claim_id = _submitted(seeded, api, make_policy)
    res = api("reviewer_jmj").fire(claim_id, "return_for_supplement", comment="补充")
    assert res.status_code == 200, res.json
    set_clock(seeded, "2026-10-12T10:00")  # Mon: 13, 14, 15, 16, 19 Oct
    assert api("ent_huadong").fire(claim_id, "submit").status_code == 200
    with seeded.app_context():
        assert _claim(claim_id).promise_due == date(2026, 10, 19)


def _pay(seeded, make_claim, promise_due: date) -> int:
    made = make_claim("approved", policy="JMJ-PLAN", approved_amount="1000.00")
    with seeded.app_context():
        claim = _claim(made.id)
        claim.promise_due = promise_due
        claim.terms.promise_days = 60  # the promise of the terms it was filed under
        db.session.commit()
        finance = db.session.scalar(select(User).filter_by(username="finance"))
        runtime.advance(
            finance, made.id, "disburse", version=claim.version, payment_reference=f"PAY-{made.id}"
        )
    return made.id


def test_the_first_payment_records_whether_the_promise_was_kept_and_the_reports_count_it(
    seeded, make_claim
):
    with seeded.app_context():
        today = local_today()  # Beijing's date, which the payment is counted in
    kept = _pay(seeded, make_claim, today)
    late = _pay(seeded, make_claim, date(2026, 1, 5))
    with seeded.app_context():
        assert _claim(kept).promise_kept is True
        assert _claim(late).promise_kept is False
        table = reports.promises()
        row = next(r for r in table.rows if r[0].startswith("JMJ-PLAN"))
        assert row[1:] == [2, 1, 1, 0, 0, "50.0%"]
    page = signed_in(seeded, "ent_huadong").get(f"/claims/{kept}").get_data(as_text=True)
    assert f"已于{today.isoformat()}兑现，在时限内" in page
