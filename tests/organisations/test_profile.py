"""The enterprise profile (企业信息) and its payee account: API, page, validation, change log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from approvals.extensions import db
from approvals.organisations.models import Enterprise, PayeeAccountChange
from tests.web.conftest import WebClient

HUADONG = "华东精密机械有限公司"
PROFILE = {
    "legal_representative": "陈建华",
    "contact_name": "王丽",
    "contact_phone": "13905710001",
    "contact_email": "finance@huadong.example.cn",
    "bank_name": "中国银行城西支行",
    "bank_account": "6217 8500 0000 1234 567",
    "account_name": HUADONG,
}


def _put(api, username="ent_huadong", **changes):
    return api(username).client.put(
        "/api/v1/enterprise/profile",
        json={**PROFILE, **changes},
        headers=api(username).headers,
    )


def test_enterprise_reads_its_profile_with_the_demo_payee_account(api):
    res = api("ent_huadong").get("/api/v1/enterprise/profile")
    assert res.status_code == 200, res.json
    assert res.json["enterprise_name"] == HUADONG
    assert res.json["account_name"] == HUADONG
    assert res.json["bank_account"] == "6222020200012345678"
    assert res.json["bank_account_masked"] == "**** **** 5678"
    assert res.json["payable"] is True and res.json["payee_problem"] is None


def test_saved_account_number_loses_the_spaces_the_user_typed(api):
    res = _put(api)
    assert res.status_code == 200, res.json
    assert res.json["bank_account"] == "6217850000001234567"
    assert res.json["bank_name"] == "中国银行城西支行"
    assert res.json["payable"] is True


def test_wrong_profile_is_refused_with_a_message_per_field(api):
    res = _put(
        api,
        contact_phone="2390571000",
        contact_email="not-an-address",
        bank_account="6217-8500-abc",
        account_name="华东精密机械公司",
    )
    assert res.status_code == 422
    error = res.json["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["contact_phone"] == "请填写11位手机号码（以1开头）"
    assert error["fields"]["contact_email"] == "电子邮箱格式不正确"
    assert error["fields"]["bank_account"] == "银行账号应为8至30位数字"
    assert error["fields"]["account_name"] == "账户名称须与企业名称一致"
    assert (
        api("ent_huadong").get("/api/v1/enterprise/profile").json["bank_name"] != "中国银行城西支行"
    )


@pytest.mark.parametrize(
    ("number", "accepted"),
    [
        ("1234567", False),
        ("12345678", True),
        ("1" * 30, True),
        ("1" * 31, False),
        ("１２３４５６７８", False),
    ],
)
def test_bank_account_is_8_to_30_digits(api, number, accepted):
    res = _put(api, bank_account=number)
    assert (res.status_code == 200) is accepted, res.json
    if not accepted:
        assert res.json["error"]["fields"]["bank_account"] == "银行账号应为8至30位数字"


def test_account_name_may_differ_only_in_bracket_width_and_spaces(api, make_enterprise):
    username = make_enterprise("示范精工（杭州）有限公司")
    res = _put(api, username, account_name="示范精工(杭州) 有限公司")
    assert res.status_code == 200, res.json


def test_a_half_filled_account_names_what_is_missing_and_no_account_is_allowed(api):
    res = _put(api, bank_name="", account_name="")
    assert res.status_code == 422
    assert set(res.json["error"]["fields"]) == {"bank_name", "account_name"}
    res = _put(api, bank_name="", bank_account="", account_name="")
    assert res.status_code == 200, res.json
    assert res.json["payable"] is False
    assert "请填写银行账号" in res.json["payee_problem"]


def test_contact_fields_are_required_and_fields_left_out_keep_their_value(api):
    ent = api("ent_huadong")
    res = ent.client.put(
        "/api/v1/enterprise/profile", json={"contact_phone": "13905719999"}, headers=ent.headers
    )
    assert res.status_code == 200, res.json  # the demo profile is complete
    assert res.json["contact_phone"] == "13905719999"
    assert res.json["bank_account"] == "6222020200012345678"
    res = _put(api, legal_representative="  ")
    assert res.status_code == 422
    assert res.json["error"]["fields"] == {"legal_representative": "请填写法定代表人"}
    res = _put(api, contact_email=123)
    assert (res.status_code, res.json["error"]["code"]) == (422, "invalid")
    assert "contact_email" in res.json["error"]["fields"]


def test_only_enterprise_users_have_a_profile(api):
    assert api("finance").get("/api/v1/enterprise/profile").status_code == 403
    assert _put(api, "gov").status_code == 403
    assert api(None).get("/api/v1/enterprise/profile").status_code == 401


def test_every_change_of_the_payee_account_is_logged_with_numbers_masked(api, seeded):
    assert _put(api).status_code == 200
    assert _put(api, contact_name="刘洋").status_code == 200  # not the account: no entry
    assert _put(api, bank_account="6217850000009999").status_code == 200
    with seeded.app_context():
        changes = db.session.scalars(select(PayeeAccountChange).order_by(PayeeAccountChange.id))
        rows = [
            (c.changed_by.username, c.old_account_masked, c.new_account_masked, c.new_bank_name)
            for c in changes
        ]
    assert rows == [
        ("ent_huadong", "**** **** 5678", "**** **** 4567", "中国银行城西支行"),
        ("ent_huadong", "**** **** 4567", "**** **** 9999", "中国银行城西支行"),
    ]


# The page --------------------------------------------------------------------------------


def _page_client(app, username) -> WebClient:
    client = WebClient(app.test_client())
    client.signin(username)
    return client


def test_profile_page_saves_the_account_and_shows_field_errors(seeded):
    client = _page_client(seeded, "ent_huadong")
    home = client.get("/claims").get_data(as_text=True)
    assert 'href="/profile"' in home  # in the enterprise's navigation
    page = client.get("/profile").get_data(as_text=True)
    assert "6222020200012345678" in page and HUADONG in page
    res = client.post("/profile", {**PROFILE, "account_name": "别的公司"})
    assert res.status_code == 422
    assert "账户名称须与企业名称一致" in res.get_data(as_text=True)
    res = client.post("/profile", PROFILE)
    assert res.status_code == 302
    page = client.get("/profile").get_data(as_text=True)
    assert "6217850000001234567" in page
    assert "**** **** 5678" in page and "**** **** 4567" in page  # the change log, masked
    with seeded.app_context():
        enterprise = db.session.scalar(select(Enterprise).filter_by(name=HUADONG))
        assert enterprise.bank_account == "6217850000001234567"


def test_profile_page_is_for_enterprise_users(seeded):
    assert _page_client(seeded, "finance").get("/profile").status_code == 403
    assert seeded.test_client().get("/profile").status_code == 302  # to sign in
