"""Password rules (ASVS 2.1): 12–128 characters of any kind, not the username, not common."""

from __future__ import annotations

import pytest

from approvals.organisations.credit_code import make_credit_code
from approvals.organisations.passwords import common_passwords, password_problem
from tests.web.conftest import text

REFUSED = [
    ("12345678", "至少12个字符"),
    ("password", "至少12个字符"),
    (" " * 8, "至少12个字符"),
    (" " * 12, "至少12个字符"),  # runs of spaces count as one (ASVS 2.1.1)
    ("ab" + " " * 10, "至少12个字符"),
    ("a" * 16, "同一个字符"),
    ("qwerty123456", "过于常见"),
    ("1Qaz2Wsx3Edc", "过于常见"),  # the list is compared without regard to case
    ("newcomer-2026", "与用户名相同"),
    ("x" * 64 + "y" * 65, "最多128个字符"),
    ("密码\x00密码密码密码密码密码", "无法识别"),
    ("\ud800" * 12, "无法识别"),
]


@pytest.mark.parametrize(("password", "fragment"), REFUSED)
def test_weak_passwords_are_refused_with_the_reason(password, fragment):
    assert fragment in password_problem(password, "NEWCOMER-2026")


ACCEPTED = [
    "correct horse battery staple",  # spaces are allowed
    "我的密码是一二三四五六七八",  # any script
    "x" * 64 + "y" * 64,  # up to 128
    "👍 emoji are fine 👍",
    "no-composition-rules",
]


@pytest.mark.parametrize("password", ACCEPTED)
def test_long_passwords_of_any_characters_are_accepted(password):
    assert password_problem(password, "newcomer") is None


def test_the_shipped_list_holds_the_10000_most_common_passwords():
    common = common_passwords()
    assert len(common) == 10_000
    assert {"123456", "password", "12345678", "qwerty", "iloveyou"} <= common


def _register(client, password, username="newcomer"):
    return client.post(
        "/api/v1/auth/register",
        json={
            "enterprise_name": "东方智造科技有限公司",
            "credit_code": make_credit_code("91330100MA2H9J0K1"),
            "username": username,
            "password": password,
        },
    )


def test_api_sign_up_refuses_a_common_password(seeded):
    res = _register(seeded.test_client(), "qwerty123456")
    assert res.status_code == 422
    assert "过于常见" in res.json["error"]["fields"]["password"]


def test_web_sign_up_says_why_a_password_is_refused(web):
    data = {
        "enterprise_name": "东方智造科技有限公司",
        "credit_code": make_credit_code("91330100MA2H9J0K1"),
        "username": "dongfang",
        "password": "password",
        "confirm": "password",
    }
    res = web(None).post("/signup", data)
    assert res.status_code == 422
    assert "密码至少12个字符" in text(res)


def test_a_password_typed_in_full_width_signs_in_as_typed_in_ascii(seeded):
    """NFKC: the same password from another input method (全角) is the same password."""
    client = seeded.test_client()
    assert _register(client, "Ｓｐｒｉｎｇ　２０２６ 春风").status_code == 201
    res = client.post(
        "/api/v1/auth/token", json={"username": "newcomer", "password": "Spring 2026 春风"}
    )
    assert res.status_code == 200, res.json


def test_create_user_command_applies_the_same_rules(seeded):
    result = seeded.test_cli_runner().invoke(
        args=["create-user", "--username", "r9", "--password", "12345678", "--role", "admin"]
    )
    assert result.exit_code != 0
    assert "至少12个字符" in result.output
