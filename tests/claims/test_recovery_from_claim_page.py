"""Finance puts a paid claim into recovery (启动追回) from the claim page.

The page once offered the move without an amount input, so every attempt was refused with
"请填写金额"; the move's inputs now come from its `requires`, and, the move being marked
`confirm`, what it will do is shown before it is done.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance.recovery import recovery_for
from approvals.notices.models import Notice
from approvals.workflow.registry import workflows
from tests.claims.test_every_transition import Forms, claim_for, hidden, problems
from tests.web.conftest import WebClient

REASON = "企业五年内迁出本市，违反兑现承诺，按协议追回"


@pytest.fixture
def paid(seeded, make_enterprise) -> int:
    """A claim of 1 000.00 yuan, paid."""
    with seeded.app_context():
        engine = workflows().get("enterprise_claim")
    move = next(t for t in engine.spec.transitions if t.trigger == "put_in_recovery")
    return claim_for(seeded, engine, move, "disbursed", make_enterprise)


@pytest.fixture
def finance(seeded) -> WebClient:
    client = WebClient(seeded.test_client())
    client.signin("finance")
    return client


def _decision(client: WebClient, claim_id: int) -> dict:
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    return Forms(page).find(action=f"/claims/{claim_id}/act")


def _start(client: WebClient, claim_id: int, amount: str, **extra):
    form = _decision(client, claim_id)
    data = hidden(form) | {"trigger": "put_in_recovery", "recovery_amount": amount}
    return client.post(f"/claims/{claim_id}/act", data | {"comment": REASON, **extra}, token=False)


def _state(app, claim_id: int) -> str:
    with app.app_context():
        return db.session.get(Claim, claim_id).state


def test_finance_puts_a_paid_claim_into_recovery_from_its_page(seeded, paid, finance):
    form = _decision(finance, paid)
    names = [c[2] for c in form["controls"] if c[0] != "button" and c[1] != "hidden"]
    assert names.count("recovery_amount") == 1 and names.count("comment") == 1
    assert ("button", "submit", "trigger", "put_in_recovery") in form["controls"]

    res = _start(finance, paid, "600.00")
    page = res.get_data(as_text=True)
    assert res.status_code == 200, problems(res)
    assert "600.00" in page and REASON in page and "已拨付 → 追回中" in page
    assert _state(seeded, paid) == "disbursed"  # shown, not done

    confirm = Forms(page).find(id="confirm-form")
    res = finance.post(f"/claims/{paid}/act", hidden(confirm) | {"confirmed": "1"}, token=False)
    assert res.status_code == 302, problems(res)
    with seeded.app_context():
        assert db.session.get(Claim, paid).state == "in_recovery"
        case = recovery_for(paid)
        assert case.amount_due == Decimal("600.00") and case.reason == REASON
        notices = db.session.scalars(db.select(Notice).filter_by(claim_id=paid)).all()
        assert "recovery" in [n.kind for n in notices]


def test_more_than_was_paid_is_refused_on_the_claim_page_before_any_confirmation(
    seeded, paid, finance
):
    res = _start(finance, paid, "1000.01")
    page = res.get_data(as_text=True)
    assert res.status_code == 422
    assert "追回金额不能超过已拨付金额 1,000.00 元" in page
    assert 'value="1000.01"' in page and REASON in page  # what was typed, kept
    assert 'id="confirm-form"' not in page
    assert _state(seeded, paid) == "disbursed"


def test_going_back_from_the_confirmation_keeps_what_was_typed(seeded, paid, finance):
    confirm = Forms(_start(finance, paid, "600.00").get_data(as_text=True)).find(id="confirm-form")
    res = finance.post(f"/claims/{paid}/act", hidden(confirm) | {"revise": "1"}, token=False)
    page = res.get_data(as_text=True)
    assert res.status_code == 200
    assert 'name="recovery_amount" type="text" value="600.00"' in page and REASON in page
    assert _state(seeded, paid) == "disbursed"
