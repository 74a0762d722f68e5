"""The payee account: no payout without a valid one, frozen when composed or paid, masked
for everyone but finance."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from approvals.claims.models import Claim, ClaimEvent
from approvals.errors import Invalid
from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import BatchItem
from approvals.notices.models import Notice
from tests.finance.conftest import actor
from tests.web.conftest import WebClient

DEMO_ACCOUNT = "6222020200012345678"  # 华东精密机械's in demo.toml
NEW_ACCOUNT = "6217850000001234567"
NEW_PROFILE = {
    "legal_representative": "陈建华",
    "contact_name": "王丽",
    "contact_phone": "13905710001",
    "contact_email": "finance@huadong.example.cn",
    "bank_name": "中国银行城西支行",
    "bank_account": NEW_ACCOUNT,
    "account_name": "华东精密机械有限公司",
}


def _set_account(app, username, **values) -> None:
    """Write the account as it may stand in the database (never filled in, or from before
    the name rule), past the profile service."""
    with app.app_context():
        enterprise = actor(username).enterprise
        for name in ("bank_name", "bank_account", "account_name"):
            setattr(enterprise, name, values.get(name))
        db.session.commit()


def _change_profile(api, username="ent_huadong", **changes):
    ent = api(username)
    res = ent.client.put(
        "/api/v1/enterprise/profile", json={**NEW_PROFILE, **changes}, headers=ent.headers
    )
    assert res.status_code == 200, res.json


def _claim(app, claim_id) -> Claim:
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        db.session.expunge(claim)
        return claim


def _page(app, username) -> WebClient:
    client = WebClient(app.test_client())
    client.signin(username)
    return client


# No payout without a valid account -------------------------------------------------------


def test_disburse_without_a_payee_account_is_refused(seeded, claims, api, make_enterprise):
    ent = make_enterprise()
    [cid] = claims(1, to="approved", ent=ent)
    _set_account(seeded, ent)
    res = api("finance").fire(cid, "disburse", payment_reference="BOC-1")
    assert res.status_code == 422
    error = res.json["error"]
    assert error["code"] == "condition_failed"
    assert "请填写银行账号" in error["fields"]["bank_account"]
    assert api("finance").claim(cid).json["state"] == "approved"


def test_disburse_to_an_account_in_another_name_is_refused(seeded, claims, api, make_enterprise):
    ent = make_enterprise("示范精工有限公司")
    [cid] = claims(1, to="approved", ent=ent)
    _set_account(
        seeded, ent, bank_name="中国银行", bank_account="62170000111122223333", account_name="王五"
    )
    res = api("finance").fire(cid, "disburse", payment_reference="BOC-2")
    assert res.status_code == 422
    assert res.json["error"]["code"] == "condition_failed"
    assert "账户名称须与企业名称一致" in res.json["error"]["fields"]["bank_account"]


def test_compose_leaves_out_claims_without_a_valid_account_and_says_why(
    seeded, claims, make_enterprise
):
    [payable] = claims(1, to="approved")
    ent = make_enterprise()
    [unpayable] = claims(1, to="approved", ent=ent)
    _set_account(seeded, ent)
    with seeded.app_context():
        batch = batches.compose(actor("finance"), [payable, unpayable])
        assert [i.claim_id for i in batch.items] == [payable]
        [left_out] = batch.excluded
        number = db.session.get(Claim, unpayable).number
        assert (left_out.claim_id, left_out.number) == (unpayable, number)
        assert "请填写银行账号" in left_out.reason
        with pytest.raises(Invalid, match=number):
            batches.compose(actor("finance"), [unpayable])


def test_the_compose_page_names_each_claim_left_out(seeded, claims, make_enterprise):
    [payable] = claims(1, to="approved")
    ent = make_enterprise()
    [unpayable] = claims(1, to="approved", ent=ent)
    _set_account(seeded, ent, bank_name="中国银行", bank_account="12", account_name="")
    finance = _page(seeded, "finance")
    index = finance.get("/finance/").get_data(as_text=True)
    assert "银行账号应为8至30位数字" in index  # said before composing, too
    res = finance.post("/finance/batches", {"claim_id": [str(payable), str(unpayable)]})
    page = finance.get(res.headers["Location"]).get_data(as_text=True)
    number = _claim(seeded, unpayable).number
    assert f"未编入 {number}" in page and "账户名称" in page


# Frozen when composed or paid ------------------------------------------------------------


def test_a_later_profile_change_never_alters_a_composed_or_made_payment(seeded, claims, api):
    [cid] = claims(1, to="approved")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), [cid]).id
    _change_profile(api)
    with seeded.app_context():
        item = db.session.scalar(select(BatchItem).filter_by(claim_id=cid))
        assert (item.payee_bank_name, item.payee_account) == ("中国工商银行城东支行", DEMO_ACCOUNT)
    res = _page(seeded, "finance").get(f"/finance/batches/{batch_id}/payment.csv")
    rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert rows[1][3:5] == ["中国工商银行城东支行", DEMO_ACCOUNT]
    with seeded.app_context():
        batches.confirm(actor("finance"), batch_id)
    _change_profile(api, bank_account="6217850000007777")
    claim = _claim(seeded, cid)
    assert claim.state == "disbursed"
    assert (claim.payee_bank_name, claim.payee_account) == ("中国工商银行城东支行", DEMO_ACCOUNT)
    assert claim.payee_account_name == "华东精密机械有限公司"
    with seeded.app_context():
        event = db.session.scalar(select(ClaimEvent).filter_by(claim_id=cid, trigger="disburse"))
        assert event.snapshot["payee"]["account"] == "**** **** 5678"  # masked in the record
        notice = db.session.scalar(select(Notice).filter_by(claim_id=cid, kind="payout"))
        assert notice.all_facts["payee_account"] == "**** **** 5678"
        assert notice.all_facts["payee_bank_name"] == "中国工商银行城东支行"


def test_a_batch_pays_the_frozen_account_even_if_the_profile_loses_it(seeded, claims):
    [cid] = claims(1, to="approved")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), [cid]).id
    _set_account(seeded, "ent_huadong")
    with seeded.app_context():
        assert batches.confirm(actor("finance"), batch_id).state == "confirmed"
    claim = _claim(seeded, cid)
    assert (claim.state, claim.payee_account) == ("disbursed", DEMO_ACCOUNT)


def test_a_claim_disbursed_directly_is_frozen_at_that_moment(seeded, claims, api):
    [cid] = claims(1, to="disbursed")
    _change_profile(api)
    payee = api("finance").claim(cid).json["payee"]
    assert (payee["account"], payee["frozen"]) == (DEMO_ACCOUNT, True)
    assert _claim(seeded, cid).payee_account == DEMO_ACCOUNT


def test_a_claim_taken_out_of_a_draft_batch_is_paid_to_the_account_of_the_day(seeded, claims, api):
    [cid] = claims(1, to="approved")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), [cid]).id
        batches.remove_claim(actor("finance"), batch_id, cid)
    _change_profile(api)
    res = api("finance").fire(cid, "disburse", payment_reference="BOC-3")
    assert res.status_code == 200, res.json
    assert res.json["payee"]["account"] == NEW_ACCOUNT
    assert _claim(seeded, cid).payee_bank_name == "中国银行城西支行"


# Who sees the number -------------------------------------------------------------------


def test_only_finance_sees_payee_accounts_in_full(seeded, claims, api):
    [cid] = claims(1, to="approved", policy="ZSJ-MAJOR")  # via the city government
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), [cid]).id
    shown = {u: api(u).claim(cid).json["payee"]["account"] for u in ("finance", "gov", "admin")}
    shown["ent_huadong"] = api("ent_huadong").claim(cid).json["payee"]["account"]
    assert shown == {
        "finance": DEMO_ACCOUNT,
        "gov": "**** **** 5678",
        "admin": "**** **** 5678",
        "ent_huadong": "**** **** 5678",
    }
    gov, finance = _page(seeded, "gov"), _page(seeded, "finance")
    for page in (f"/finance/batches/{batch_id}", f"/claims/{cid}"):
        text = gov.get(page).get_data(as_text=True)
        assert "**** **** 5678" in text and DEMO_ACCOUNT not in text, page
        assert DEMO_ACCOUNT in finance.get(page).get_data(as_text=True), page
    assert "收款账户变更记录" in finance.get(f"/claims/{cid}").get_data(as_text=True)
    assert "收款账户变更记录" not in gov.get(f"/claims/{cid}").get_data(as_text=True)
    for who in (gov, _page(seeded, "admin")):
        assert who.get(f"/finance/batches/{batch_id}/payment.csv").status_code == 403


def test_finance_reads_the_account_changes_on_the_claim_page(seeded, claims, api):
    [cid] = claims(1, to="approved")
    _change_profile(api)
    page = _page(seeded, "finance").get(f"/claims/{cid}").get_data(as_text=True)
    assert "**** **** 5678" in page and "**** **** 4567" in page
    assert NEW_ACCOUNT in page  # the account it will be paid to, in full for finance


# The enterprise is told ----------------------------------------------------------------


def test_enterprise_is_asked_to_complete_its_payee_account(seeded, claims, make_enterprise):
    ent = make_enterprise()
    [cid] = claims(1, to="submitted", ent=ent)
    _set_account(seeded, ent)
    client = _page(seeded, ent)
    for path in (f"/claims/{cid}", "/claims"):
        page = client.get(path).get_data(as_text=True)
        assert "请完善收款账户" in page and 'href="/profile"' in page, path
    with seeded.app_context():
        name = actor(ent).enterprise.name
    _set_account(
        seeded, ent, bank_name="中国银行", bank_account="62170000111122223333", account_name=name
    )
    assert "请完善收款账户" not in client.get(f"/claims/{cid}").get_data(as_text=True)


def test_a_paid_claim_asks_nothing_of_the_enterprise(seeded, claims, make_enterprise):
    ent = make_enterprise()
    [cid] = claims(1, to="disbursed", ent=ent)
    _set_account(seeded, ent)  # the money went to the frozen account
    assert "请完善收款账户" not in _page(seeded, ent).get(f"/claims/{cid}").get_data(as_text=True)
