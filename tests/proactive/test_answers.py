"""The enterprise's answer to an offer: confirmed, the claim goes straight to finance and is
paid as any claim; declined, it ends; unanswered, the system expires it at `flask tick`
when the clause's working days have passed; and no confirmation without a payee account."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance.reports import proactive_grants
from approvals.notices.models import Notice
from approvals.notifications.models import Message
from approvals.organisations.models import User
from approvals.proactive.models import ProactiveOffer
from tests.conftest import set_clock
from tests.finance.conftest import fire
from tests.proactive.conftest import CLAUSE, claim_state


def _version(app, claim_id: int) -> int:
    with app.app_context():
        return db.session.get(Claim, claim_id).version


def _kinds(app, claim_id: int) -> list[str]:
    with app.app_context():
        query = select(Notice.kind).filter_by(claim_id=claim_id).order_by(Notice.id)
        return list(db.session.scalars(query))


def _proactive_row(app) -> list:
    with app.app_context():
        return next(row for row in proactive_grants().rows if row[0].startswith(CLAUSE))


def test_a_confirmed_offer_goes_to_finance_and_is_paid(seeded, offered, web, make_enterprise):
    username = make_enterprise()
    claim_id = offered(username)
    enterprise = web(username)
    page = enterprise.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "确认享受" in page and "放弃享受" in page and "2027-01-05" in page
    res = enterprise.act(claim_id, "accept_offer", _version(seeded, claim_id))
    assert res.status_code == 302, res.get_data(as_text=True)
    assert claim_state(seeded, claim_id) == "finance_review"
    assert f"/claims/{claim_id}" in web("finance").get("/queue").get_data(as_text=True)
    with seeded.app_context():
        fire("finance", claim_id, "finance_approve", comment="符合免申即享条件，同意")
        fire("finance", claim_id, "disburse", payment_reference="BOC-PRO-1")
        claim = db.session.get(Claim, claim_id)
        assert claim.state == "disbursed" and claim.paid_amount == claim.approved_amount
        offer = db.session.scalar(select(ProactiveOffer).filter_by(claim_id=claim_id))
        assert offer.outcome == "confirmed" and offer.answered_by.username == username
    assert _kinds(seeded, claim_id) == ["proactive_offer", "finance_opinion", "payout"]
    assert _proactive_row(seeded)[1:] == [1, 1, 0, 0, 1]


def test_a_declined_offer_ends_with_its_confirmation(seeded, offered, web, make_enterprise):
    username = make_enterprise()
    claim_id = offered(username)
    res = web(username).act(claim_id, "decline_offer", _version(seeded, claim_id))
    assert res.status_code == 302
    assert claim_state(seeded, claim_id) == "offer_declined"
    assert _kinds(seeded, claim_id) == ["proactive_offer", "proactive_declined"]
    assert _proactive_row(seeded)[1:] == [1, 0, 1, 0, 0]


def _beijing(when: str) -> datetime:
    return datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def test_an_unanswered_offer_expires_at_the_tick_after_its_last_day(
    seeded, offered, make_enterprise
):
    from approvals import ticking

    claim_id = offered(make_enterprise())  # Monday 7 December: 20 working days, to 5 January
    with seeded.app_context():
        ticking.run(_beijing("2027-01-05T23:00"))  # the last day: still open
        assert db.session.get(Claim, claim_id).state == "offer_pending"
        lines = ticking.run(_beijing("2027-01-06T00:30"))
        assert any("proactive.expiry" in line for line in lines), lines
        assert db.session.get(Claim, claim_id, populate_existing=True).state == "offer_expired"
        ticking.run(_beijing("2027-01-07T00:30"))  # a second tick does nothing twice
        message = db.session.scalars(
            select(Message).filter_by(claim_id=claim_id).order_by(Message.id.desc())
        ).first()
        assert "逾期未确认" in message.subject
    assert _kinds(seeded, claim_id) == ["proactive_offer", "proactive_expired"]
    assert _proactive_row(seeded)[1:] == [1, 0, 0, 1, 0]


def test_no_confirmation_without_a_payee_account(seeded, offered, web, make_enterprise):
    username = make_enterprise()
    with seeded.app_context():
        enterprise = db.session.scalar(select(User).filter_by(username=username)).enterprise
        enterprise.bank_account = ""
        db.session.commit()
    claim_id = offered(username)
    client = web(username)
    res = client.act(claim_id, "accept_offer", _version(seeded, claim_id))
    page = res.get_data(as_text=True)
    assert res.status_code == 422
    assert "收款账户" in page and 'href="/profile"' in page
    assert claim_state(seeded, claim_id) == "offer_pending"


def test_a_late_confirmation_is_refused(seeded, offered, web, make_enterprise):
    username = make_enterprise()
    claim_id = offered(username)
    set_clock(seeded, "2027-01-06T09:00")  # past the last day, before the tick
    res = web(username).act(claim_id, "accept_offer", _version(seeded, claim_id))
    assert res.status_code == 422 and "已过" in res.get_data(as_text=True)
    assert claim_state(seeded, claim_id) == "offer_pending"
