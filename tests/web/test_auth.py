"""Sign-in, homes per role, cookies, the sign-in limit, CSRF, sign-up, colleagues, language."""

from __future__ import annotations

import pytest

from approvals import create_app
from approvals.extensions import db
from approvals.organisations.credit_code import make_credit_code
from tests.conftest import DEMO, base_config
from tests.web.conftest import WebClient, csrf_token, text

HOMES = [
    ("ent_huadong", "/claims", "我的申报"),
    ("reviewer_jmj", "/queue", "待办队列"),
    ("finance", "/queue", "待办队列"),
    ("gov", "/queue", "待办队列"),
    ("admin", "/overview", "运行概况"),
]


@pytest.mark.parametrize(("username", "home", "heading"), HOMES)
def test_each_role_lands_on_its_own_home(web, username, home, heading):
    client = web(None)
    res = client.post("/signin", {"username": username, "password": DEMO["password"]})
    assert res.status_code == 302
    assert res.location == home
    assert heading in text(client.get(home))


def test_session_cookie_is_httponly_and_samesite(web):
    res = web(None).post("/signin", {"username": "ent_huadong", "password": DEMO["password"]})
    cookie = res.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_refused_with_a_message(web):
    res = web(None).post("/signin", {"username": "ent_huadong", "password": "wrong-password"})
    assert res.status_code == 401
    assert "用户名或密码错误" in text(res)


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(web):
    client = web(None)
    ok = client.post(
        "/signin", {"username": "admin", "password": DEMO["password"], "next": "/policies"}
    )
    assert ok.location == "/policies"
    other = web(None)
    evil = other.post(
        "/signin", {"username": "admin", "password": DEMO["password"], "next": "//evil.example"}
    )
    assert evil.location == "/"


def test_sign_out_ends_the_session(web):
    client = web("ent_huadong")
    assert client.post("/signout").status_code == 302
    assert client.get("/claims").status_code == 302


def test_form_without_csrf_token_is_refused(web):
    client = web("ent_huadong")
    data = {"project_title": "无令牌", "requested_amount": "100"}
    res = client.post("/claims/new?policy=JMJ-PLAN", data, token=False)
    assert res.status_code == 400
    assert "安全令牌" in text(res)
    assert "无令牌" not in text(client.get("/claims"))
    assert client.post("/signin", {"username": "x"}, token=False).status_code == 400


def test_repeated_failed_sign_ins_are_slowed_down(tmp_path):
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'limit.sqlite3'}")
    config.update(RATELIMIT_ENABLED=True, SIGNIN_RATE_LIMIT="3 per minute")
    app = create_app(config)
    with app.app_context():
        db.create_all()
    client = WebClient(app.test_client())
    codes = [
        client.post("/signin", {"username": "nobody", "password": "wrong-pass"}).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    assert "登录失败次数过多" in text(client.post("/signin", {"username": "a", "password": "b"}))
    with app.app_context():
        db.engine.dispose()


def _signup(client, **overrides):
    data = {
        "enterprise_name": "东方智造科技有限公司",
        "credit_code": make_credit_code("91330100MA2H9J0K1"),
        "username": "dongfang",
        "display_name": "王经理",
        "password": "secret-pass-2026",
        "confirm": "secret-pass-2026",
    }
    data.update(overrides)
    return client.post("/signup", data)


def test_sign_up_registers_the_enterprise_and_signs_in(web):
    client = web(None)
    res = _signup(client)
    assert res.status_code == 302
    assert res.location == "/claims"
    page = text(client.get("/claims"))
    assert "东方智造科技有限公司" in page
    assert '<span class="who-name">王经理</span>' in page  # the person, not the company


def test_sign_up_without_a_name_shows_the_company(web):
    client = web(None)
    assert _signup(client, display_name="").status_code == 302
    assert '<span class="who-name">东方智造科技有限公司</span>' in text(client.get("/claims"))


def test_sign_up_with_a_wrong_check_character_says_which_is_right(web):
    good = make_credit_code("91330100MA2H9J0K1")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    res = _signup(web(None), credit_code=wrong)
    assert res.status_code == 422
    assert f"校验位错误（第18位应为 {good[17]}）" in text(res)


def test_sign_up_of_an_enterprise_already_registered_is_refused(web):
    stem = DEMO["enterprises"][0]["credit_code_stem"]
    res = _signup(web(None), credit_code=make_credit_code(stem))
    assert res.status_code == 409
    assert "该企业已注册" in text(res)


def test_enterprise_user_invites_a_colleague_who_can_sign_in(web):
    client = web("ent_huadong")
    res = client.post(
        "/colleagues",
        {
            "username": "huadong_li",
            "display_name": "李会计",
            "password": "colleague-2026",
            "confirm": "colleague-2026",
        },
    )
    assert res.status_code == 302
    assert "李会计" in text(client.get("/colleagues"))
    colleague = web(None)
    colleague.signin("huadong_li", "colleague-2026")
    assert "华东精密机械有限公司" in text(colleague.get("/claims"))


def test_language_switch_shows_english_and_back(web):
    client = web("ent_huadong")
    assert "我的申报" in text(client.get("/claims"))
    res = client.get("/lang/en?next=/claims")
    assert res.location == "/claims"
    page = text(client.get("/claims"))
    assert "My claims" in page
    assert 'lang="en"' in page
    client.get("/lang/zh_Hans_CN")
    assert "我的申报" in text(client.get("/claims"))


def test_sign_in_page_carries_a_csrf_token(web):
    assert csrf_token(text(web(None).get("/signin")))
