"""Password change (web and API), an administrator's one-time reset link, deactivation."""

from __future__ import annotations

import re

from approvals.extensions import db
from approvals.organisations.models import User
from tests.conftest import PASSWORD, ApiClient
from tests.web.conftest import text

NEW = "spring rain on the river 2027"


def _id(app, username):
    with app.app_context():
        return db.session.scalar(db.select(User.id).filter_by(username=username))


def _token(app, username, password=PASSWORD):
    return app.test_client().post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )


def test_changing_the_password_needs_the_current_one(web):
    client = web("reviewer_jmj")
    res = client.post(
        "/account/password", {"current_password": "not it at all", "password": NEW, "confirm": NEW}
    )
    assert res.status_code == 422
    assert "当前密码不正确" in text(res)


def test_a_weak_new_password_is_refused_on_the_change_page(web):
    client = web("reviewer_jmj")
    res = client.post(
        "/account/password",
        {"current_password": PASSWORD, "password": "reviewer_jmj", "confirm": "reviewer_jmj"},
    )
    assert res.status_code == 422
    assert "密码至少12个字符" in text(res)


def test_after_a_change_only_the_new_password_signs_in(seeded, web):
    client = web("gov")
    res = client.post(
        "/account/password", {"current_password": PASSWORD, "password": NEW, "confirm": NEW}
    )
    assert res.status_code == 302
    assert "其他设备上的登录" in text(client.get(res.location))
    assert _token(seeded, "gov").status_code == 401
    assert _token(seeded, "gov", NEW).status_code == 200


def test_api_password_change_answers_a_new_token_and_kills_the_old(seeded, api):
    finance = api("finance")
    res = finance.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert res.status_code == 200, res.json
    assert finance.get("/api/v1/policies").status_code == 401
    fresh = ApiClient(seeded.test_client(), res.json["token"])
    assert fresh.get("/api/v1/policies").status_code == 200


def test_api_password_change_with_a_wrong_current_password_is_refused(api):
    res = api("finance").post(
        "/api/v1/auth/password", json={"current_password": "guess guess guess", "new_password": NEW}
    )
    assert res.status_code == 422
    assert res.json["error"]["code"] == "wrong_password"


def _reset_link(admin, user_id) -> str:
    res = admin.post(f"/admin/users/{user_id}/reset-link")
    assert res.status_code == 200
    match = re.search(r"https://[^<\s]+/reset/([\w-]+)", text(res))
    assert match, text(res)
    return f"/reset/{match.group(1)}"


def test_a_reset_link_sets_a_new_password_once(seeded, web):
    victim = web("ent_huadong")
    admin = web("admin")
    link = _reset_link(admin, _id(seeded, "ent_huadong"))
    visitor = web(None)
    assert "ent_huadong" in text(visitor.get(link))
    res = visitor.post(link, {"password": NEW, "confirm": NEW})
    assert res.status_code == 302 and res.location == "/signin"
    assert victim.get("/claims").status_code == 302  # the old sessions ended
    assert _token(seeded, "ent_huadong", NEW).status_code == 200
    again = visitor.post(link, {"password": NEW + "!", "confirm": NEW + "!"})
    assert again.status_code == 404
    assert "已使用或已过期" in text(again)


def test_a_reset_link_expires_after_a_day(seeded, web, clock):
    link = _reset_link(web("admin"), _id(seeded, "ent_huadong"))
    clock.advance(hours=24)
    assert web(None).get(link).status_code == 404


def test_a_new_reset_link_voids_the_earlier_one(seeded, web):
    admin = web("admin")
    first = _reset_link(admin, _id(seeded, "ent_huadong"))
    second = _reset_link(admin, _id(seeded, "ent_huadong"))
    assert web(None).get(first).status_code == 404
    assert web(None).get(second).status_code == 200


def test_a_reset_link_still_obeys_the_password_rules(seeded, web):
    link = _reset_link(web("admin"), _id(seeded, "ent_huadong"))
    res = web(None).post(link, {"password": "qwerty123456", "confirm": "qwerty123456"})
    assert res.status_code == 422
    assert "过于常见" in text(res)
    assert web(None).get(link).status_code == 200  # a refused attempt does not use it up


def test_only_an_administrator_makes_reset_links_or_deactivates(seeded, web):
    finance = web("finance")
    target = _id(seeded, "ent_huadong")
    assert finance.post(f"/admin/users/{target}/reset-link").status_code == 403
    assert finance.post(f"/admin/users/{target}/active", {"active": "0"}).status_code == 403
    assert finance.get("/admin/users").status_code == 403


def test_the_administrator_cannot_deactivate_themselves(seeded, web):
    admin = web("admin")
    res = admin.post(f"/admin/users/{_id(seeded, 'admin')}/active", {"active": "0"})
    assert "不能停用自己的账号" in text(admin.get(res.location))
    assert admin.get("/overview").status_code == 200


def test_user_management_lists_and_reactivates_accounts(seeded, web):
    admin = web("admin")
    target = _id(seeded, "ent_jiangnan")
    admin.post(f"/admin/users/{target}/active", {"active": "0"})
    assert "已停用" in text(admin.get("/admin/users?q=jiangnan"))
    admin.post(f"/admin/users/{target}/active", {"active": "1"})
    assert _token(seeded, "ent_jiangnan").status_code == 200


def test_cli_deactivates_and_makes_reset_links(seeded):
    token = _token(seeded, "ent_huadong").json["token"]
    runner = seeded.test_cli_runner()
    result = runner.invoke(args=["deactivate-user", "ent_huadong"])
    assert result.exit_code == 0, result.output
    assert ApiClient(seeded.test_client(), token).get("/api/v1/policies").status_code == 401
    assert runner.invoke(args=["reset-link", "ent_huadong"]).exit_code != 0  # inactive
    assert runner.invoke(args=["activate-user", "ent_huadong"]).exit_code == 0
    result = runner.invoke(args=["reset-link", "ent_huadong"])
    assert result.exit_code == 0, result.output
    path = re.search(r"/reset/[\w-]+", result.output).group(0)
    client = seeded.test_client()
    assert client.get(path).status_code == 200
