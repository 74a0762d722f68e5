"""Malformed input is a 4xx in the error shape: each root cause the fuzzing found, by name."""

from __future__ import annotations

import pytest

from approvals import limits
from approvals.money import amount_error

NESTED = [b"[" * 10_000, b'{"a":' * 10_000, b'{"requested_amount": ' + b"[" * 50 + b"]" * 50 + b"}"]


def _error(res, status, code):
    assert res.status_code == status, res.get_data(as_text=True)[:300]
    assert set(res.json) == {"error"}
    assert set(res.json["error"]) == {"code", "message", "fields"}
    assert res.json["error"]["code"] == code
    return res.json["error"]


def _raw(client, path, body: bytes, content_type="application/json"):
    return client.client.post(path, data=body, content_type=content_type, headers=client.headers)


@pytest.mark.parametrize("body", NESTED, ids=["arrays", "objects", "nine-deep-in-a-field"])
def test_deeply_nested_json_is_refused_before_it_is_parsed(api, body):
    error = _error(_raw(api("ent_huadong"), "/api/v1/claims", body), 400, "bad_request")
    assert error["fields"]["body"] in ("嵌套过深", "不是有效的 JSON")


def test_deep_json_is_refused_without_signing_in(api):
    """The sign-in endpoint reads the username for its rate limit: that read is safe too."""
    _error(_raw(api(None), "/api/v1/auth/token", b"[" * 10_000), 400, "bad_request")


def test_body_larger_than_the_json_limit_is_413(api):
    body = b'{"project_title": "' + b"a" * (70 * 1024) + b'"}'
    _error(_raw(api("ent_huadong"), "/api/v1/claims", body), 413, "too_large")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"not json", "application/json"), (b'{"a": 1}', "text/plain"), (b"\xff\xfe{", None)],
)
def test_body_that_is_not_a_json_object_is_400(api, body, content_type):
    _error(_raw(api("ent_huadong"), "/api/v1/claims", body, content_type), 400, "bad_request")


@pytest.mark.parametrize("username", [123, ["ent_huadong"], {"x": 1}, True])
def test_non_string_credentials_are_422_naming_the_field(api, username):
    res = api(None).post("/api/v1/auth/token", json={"username": username, "password": "x"})
    assert _error(res, 422, "invalid")["fields"] == {"username": "应为文字"}


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1" * 40, "金额过大"),
        ("9" * 29 + ".99", "金额过大"),
        ("1." + "0" * 30 + "1", "两位小数"),
        ("٣٠٠", "格式不正确"),
        ("1e30", "格式不正确"),
    ],
)
def test_amount_with_more_than_28_digits_or_foreign_digits_is_refused(api, amount, message):
    res = api("ent_huadong").post(
        "/api/v1/claims",
        json={"policy_code": "JMJ-PLAN", "project_title": "项目", "requested_amount": amount},
    )
    assert message in _error(res, 422, "invalid")["fields"]["requested_amount"]


def test_json_number_beyond_every_precision_is_refused(api):
    body = b'{"policy_code": "JMJ-PLAN", "project_title": "x", "requested_amount": 1e999999}'
    res = _raw(api("ent_huadong"), "/api/v1/claims", body)
    assert "格式不正确" in _error(res, 422, "invalid")["fields"]["requested_amount"]


def test_full_width_digits_typed_in_chinese_mode_are_read_as_digits():
    assert amount_error("１２０，０００．５")[0] == amount_error("120000.5")[0]


def _loan_claim(api, months):
    return api("ent_huadong").post(
        "/api/v1/claims",
        json={
            "policy_code": "KJJ-LOAN",
            "project_title": "贴息",
            "requested_amount": "1000",
            "amount_inputs": {"principal": "1000000", "annual_rate": "4.35", "months": months},
        },
    )


@pytest.mark.parametrize("months", ["٣", "²", "①", "1" * 30, "6.5", -6])
def test_unicode_digits_in_a_month_count_are_refused(api, months):
    error = _error(_loan_claim(api, months), 422, "invalid")
    assert "整数" in error["fields"]["amount_inputs.months"]


def test_full_width_month_count_is_accepted(api):
    res = _loan_claim(api, "１２")
    assert res.status_code == 201, res.json
    assert res.json["amount_inputs"]["months"] == "12"


@pytest.mark.parametrize("claim_id", [2**31, 10**20])
def test_claim_id_beyond_the_integer_column_is_404(api, claim_id):
    ent = api("ent_huadong")
    _error(ent.get(f"/api/v1/claims/{claim_id}"), 404, "not_found")
    body = {"trigger": "submit", "version": 1}
    _error(ent.post(f"/api/v1/claims/{claim_id}/transitions", json=body), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=99999999999999999999", "cursor"),
        ("cursor=²", "cursor"),
        ("limit=１０００", "limit"),
        ("limit=0", "limit"),
        ("state=" + "x" * 40, "state"),
    ],
)
def test_list_parameters_out_of_range_are_422(api, query, field):
    res = api("ent_huadong").get(f"/api/v1/claims?{query}")
    assert field in _error(res, 422, "invalid")["fields"]


@pytest.mark.parametrize("version", [2**31, 10**30, "1", 1.5])
def test_version_beyond_the_column_or_not_an_integer_is_422(api, version):
    claim = api("ent_huadong").create_claim()
    res = api("ent_huadong").fire(claim["id"], "submit", version=version)
    assert "version" in _error(res, 422, "invalid")["fields"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"policy_code": "JMJ-PLAN", "project_title": "\\ud800", "requested_amount": "1"}',
        b'{"policy_code": "JMJ-PLAN", "project_title": "a\\u0000b", "requested_amount": "1"}',
        b'{"policy_code": "JMJ-PLAN", "project_title": "t", "requested_amount": "1",'
        b' "amount_inputs": {"\\udfff": "1"}}',
    ],
    ids=["lone-surrogate", "nul", "surrogate-in-a-key"],
)
def test_text_no_database_stores_is_refused_on_both_databases(api, body):
    error = _error(_raw(api("ent_huadong"), "/api/v1/claims", body), 422, "invalid")
    assert "字符" in error["message"]


def test_text_longer_than_its_column_is_refused(api):
    title = "项" * (limits.PROJECT_TITLE + 1)
    res = api("ent_huadong").post(
        "/api/v1/claims",
        json={"policy_code": "JMJ-PLAN", "project_title": title, "requested_amount": "1"},
    )
    error = _error(res, 422, "invalid")
    assert error["fields"]["project_title"] == f"不能超过{limits.PROJECT_TITLE}个字符"


def test_upload_kind_and_file_name_with_nul_are_refused(api):
    from io import BytesIO

    from tests.conftest import PDF_BYTES

    ent = api("ent_huadong")
    claim = ent.create_claim()
    res = ent.attach(claim["id"], "business\x00licence")
    assert "kind" in _error(res, 422, "invalid")["fields"]
    res = ent.client.post(
        f"/api/v1/claims/{claim['id']}/attachments",
        data={"kind": "business_licence", "file": (BytesIO(PDF_BYTES), "a\x00.pdf")},
        headers=ent.headers,
        content_type="multipart/form-data",
    )
    assert "file" in _error(res, 422, "invalid")["fields"]
