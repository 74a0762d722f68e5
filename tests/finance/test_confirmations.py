"""Irreversible money moves show what they will do, and happen only on a second POST."""

import re

import pytest
from sqlalchemy import func, select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import Batch, LedgerEntry
from tests.finance.conftest import actor, fire, set_budget
from tests.web.conftest import WebClient, text


@pytest.fixture
def finance(seeded):
    client = WebClient(seeded.test_client())
    client.signin("finance")
    return client


def _pays(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(LedgerEntry).filter_by(kind="pay")
        )


def _state(app, claim_id) -> str:
    with app.app_context():
        return db.session.get(Claim, claim_id).state


def _payees(app, ids) -> list[str]:
    with app.app_context():
        return [db.session.get(Claim, cid).enterprise.name for cid in ids]


def test_confirming_a_batch_shows_count_total_and_payees_before_paying(seeded, claims, finance):
    ids = claims(3, to="approved", amount="100.00")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id
        batches.scale(actor("finance"), batch_id, "JMJ-PLAN", "250.00")
    res = finance.post(f"/finance/batches/{batch_id}/confirm")
    page = text(res)
    assert res.status_code == 200
    assert 'id="confirm-count">3<' in page
    assert 'id="confirm-total">250.00' in page and "贰佰伍拾元整" in page
    for name in _payees(seeded, ids):
        assert name in page
    assert "核减 16.66" in page  # what the reduction of each scaled claim will be
    assert 'name="confirmed" value="1"' in page and 'name="csrf_token"' in page
    with seeded.app_context():
        assert db.session.get(Batch, batch_id).is_open
    assert _pays(seeded) == 0  # nothing happened yet
    res = finance.post(f"/finance/batches/{batch_id}/confirm", {"confirmed": "1"})
    assert res.status_code == 302
    with seeded.app_context():
        assert db.session.get(Batch, batch_id).state == "confirmed"
    assert _pays(seeded) == 3


def test_the_confirmation_keeps_csrf(seeded, claims, finance):
    ids = claims(1, to="approved")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id
    res = finance.post(f"/finance/batches/{batch_id}/confirm", {"confirmed": "1"}, token=False)
    assert res.status_code == 400
    assert _pays(seeded) == 0


def test_starting_a_recovery_is_confirmed_first(seeded, claims, finance):
    [cid] = claims(1, to="disbursed", amount="1000.00")
    with seeded.app_context():
        version = db.session.get(Claim, cid).version
    form = {"amount": "300", "reason": "迁出本市", "version": version}
    res = finance.post(f"/finance/recoveries/{cid}/put_in_recovery", form)
    page = text(res)
    assert res.status_code == 200 and "启动追回" in page
    assert 'id="confirm-total">300.00' in page and "已拨付 1,000.00 元" in page
    assert _payees(seeded, [cid])[0] in page and "迁出本市" in page
    assert _state(seeded, cid) == "disbursed"
    res = finance.post(f"/finance/recoveries/{cid}/put_in_recovery", form | {"confirmed": "1"})
    assert res.status_code == 302 and _state(seeded, cid) == "in_recovery"


def test_a_recovery_beyond_what_was_paid_is_refused_on_the_confirmation(seeded, claims, finance):
    [cid] = claims(1, to="disbursed", amount="1000.00")
    with seeded.app_context():
        version = db.session.get(Claim, cid).version
    form = {"amount": "1000.01", "reason": "迁出本市", "version": version}
    res = finance.post(f"/finance/recoveries/{cid}/put_in_recovery", form)
    assert res.status_code == 302
    assert "追回金额不能超过已拨付金额 1,000.00 元" in text(finance.get(res.location))


def test_writing_off_is_confirmed_first(seeded, claims, finance):
    [cid] = claims(1, to="disbursed", amount="1000.00")
    with seeded.app_context():
        fire("finance", cid, "put_in_recovery", recovery_amount="400.00", comment="迁出本市")
        fire("finance", cid, "record_repayment", repayment_amount="150.00")
        version = db.session.get(Claim, cid).version
    form = {"reason": "企业已注销", "version": version}
    res = finance.post(f"/finance/recoveries/{cid}/write_off", form)
    page = text(res)
    assert res.status_code == 200 and "核销" in page
    assert 'id="confirm-total">250.00' in page and "企业已注销" in page
    assert _state(seeded, cid) == "in_recovery"
    res = finance.post(f"/finance/recoveries/{cid}/write_off", form | {"confirmed": "1"})
    assert res.status_code == 302 and _state(seeded, cid) == "written_off"


def _queue_choices(client, state) -> list[str]:
    page = text(client.get(f"/queue?state={state}"))
    return re.findall(r'name="claims" value="([\d:]+)"', page)


def test_a_bulk_action_shows_what_it_will_do_before_doing_it(seeded, claims, finance):
    ids = claims(2, to="finance_review", amount="700.00")
    chosen = _queue_choices(finance, "finance_review")
    assert len(chosen) == 2
    form = {"trigger": "finance_approve", "comment": "同意拨付", "claims": chosen}
    res = finance.post("/queue/batch", form)
    page = text(res)
    assert res.status_code == 200
    assert 'id="confirm-count">2<' in page and 'id="confirm-total">1,400.00' in page
    for name in _payees(seeded, ids):
        assert name in page
    assert "同意拨付" in page
    assert {_state(seeded, cid) for cid in ids} == {"finance_review"}
    res = finance.post("/queue/batch", form | {"confirmed": "1"})
    assert res.status_code == 302
    assert {_state(seeded, cid) for cid in ids} == {"approved"}


def test_the_bulk_bar_refuses_an_action_not_valid_for_every_selected_claim(seeded, claims, finance):
    waiting = claims(1, to="finance_review", amount="700.00")
    payable = claims(1, to="approved", amount="800.00")
    page = text(finance.get("/queue"))
    chosen = re.findall(r'name="claims" value="([\d:]+)"', page)
    assert len(chosen) == 2
    assert 'value="finance_approve"' in page and 'value="disburse"' in page
    form = {"trigger": "disburse", "payment_reference": "CZ-1", "claims": chosen}
    for confirmed in ({}, {"confirmed": "1"}):
        res = finance.post("/queue/batch", form | confirmed)
        page = text(res)
        assert res.status_code == 422
        with seeded.app_context():
            number = db.session.get(Claim, waiting[0]).number
        assert f"“拨付资金”不能用于所选的全部申报：{number}（当前状态为“待财政复核”" in page
        assert "所选申报没有都可执行的批量操作" in page
        assert 'id="confirm-do"' not in page
    assert _state(seeded, waiting[0]) == "finance_review"
    assert _state(seeded, payable[0]) == "approved"


def test_the_bulk_bar_offers_only_what_the_shown_claims_allow(seeded, claims, finance):
    claims(1, to="approved")
    page = text(finance.get("/queue?state=approved"))
    assert 'value="disburse"' in page and 'value="finance_approve"' not in page


def test_a_claim_in_a_batch_is_not_disbursed_from_the_queue(seeded, claims, finance):
    ids = claims(2, to="approved", amount="800.00")
    with seeded.app_context():
        batches.compose(actor("finance"), ids[:1])
        number = db.session.get(Claim, ids[0]).number
    chosen = _queue_choices(finance, "approved")
    form = {"trigger": "disburse", "payment_reference": "CZ-1", "claims": chosen}
    res = finance.post("/queue/batch", form | {"confirmed": "1"})
    assert res.status_code == 422
    assert f"{number}（已编入" in text(res) and "只能通过该批次拨付" in text(res)
    assert {_state(seeded, cid) for cid in ids} == {"approved"}


def test_the_budget_refusal_shows_the_whole_message(seeded, claims, finance):
    set_budget(seeded, "JMJ-PLAN", "500.00")
    [cid] = claims(1, to="finance_review", amount="1000.00")
    with seeded.app_context():
        version = db.session.get(Claim, cid).version
    res = finance.post(
        f"/claims/{cid}/act", {"trigger": "finance_approve", "version": version, "comment": "同意"}
    )
    assert "预算余额不足，剩余 500.00 元，本次需 1,000.00 元" in text(res)
    assert _state(seeded, cid) == "finance_review"


def test_the_finance_claim_page_shows_the_policy_budget(seeded, claims, finance):
    [own] = claims(1, to="approved", amount="1000.00")  # ent_huadong's
    [cid] = claims(1, to="finance_review", amount="2000.00")
    set_budget(seeded, "JMJ-PLAN", "10000.00")
    page = text(finance.get(f"/claims/{cid}"))
    budget = page[page.index('id="claim-budget"') :]
    assert "10,000.00" in budget and "1,000.00" in budget  # amount, reserved
    assert 'id="budget-remaining">9,000.00' in budget
    enterprise = WebClient(seeded.test_client())
    enterprise.signin("ent_huadong")
    page = text(enterprise.get(f"/claims/{own}"))
    assert "1,000.00" in page and 'id="claim-budget"' not in page  # finance's view only


def test_the_claim_page_sends_a_batched_payout_to_its_batch_and_confirms_a_recovery_first(
    seeded, claims, finance
):
    [in_batch] = claims(1, to="approved")
    [paid] = claims(1, to="disbursed")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), [in_batch]).id
    page = text(finance.get(f"/claims/{in_batch}"))
    assert 'name="trigger" value="disburse"' not in page
    assert f'href="/finance/batches/{batch_id}"' in page and "在批次中确认拨付" in page
    # A recovery is started on the claim page itself, through its confirmation step (the
    # walk of tests/claims/test_recovery_from_claim_page.py takes it to the end).
    page = text(finance.get(f"/claims/{paid}"))
    assert 'name="trigger" value="put_in_recovery"' in page
    assert 'name="recovery_amount"' in page and "确认后才办理" in page
