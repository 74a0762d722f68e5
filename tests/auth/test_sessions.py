"""Server-side sessions: sign-out, password change and deactivation end every session and
API token at once; idle (30 min officials, 2 h enterprises) and absolute (12 h) timeouts."""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

from approvals.extensions import db
from approvals.organisations.models import User
from tests.conftest import PASSWORD, ApiClient
from tests.web.conftest import WebClient, text

NEW_PASSWORD = "a new and long passphrase"


def copied(client: WebClient, app) -> WebClient:
    """Another browser holding a copy of this one's session cookie (a stolen cookie)."""
    thief = app.test_client()
    cookie = client.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    thief.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")
    return WebClient(thief)


def signed_in(client: WebClient, path: str = "/claims") -> bool:
    return client.get(path).status_code == 200


def token_works(app, token: str) -> bool:
    return ApiClient(app.test_client(), token).get("/api/v1/policies").status_code == 200


def token_for(app, username: str, password: str = PASSWORD) -> str:
    res = app.test_client().post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert res.status_code == 200, res.json
    return res.json["token"]


def test_sign_out_ends_a_copied_cookie_and_every_api_token(seeded, web):
    client = web("ent_huadong")
    thief = copied(client, seeded)
    token = token_for(seeded, "ent_huadong")
    assert signed_in(thief) and token_works(seeded, token)
    client.post("/signout")
    assert not signed_in(thief)
    assert not token_works(seeded, token)


def test_api_sign_out_ends_the_web_sessions_too(seeded, web):
    client = web("ent_huadong")
    token = token_for(seeded, "ent_huadong")
    api = ApiClient(seeded.test_client(), token)
    assert api.post("/api/v1/auth/signout").status_code == 204
    assert not signed_in(client)
    res = api.get("/api/v1/policies")
    assert res.status_code == 401 and res.json["error"]["code"] == "invalid_token"


def test_password_change_ends_other_sessions_but_keeps_this_browser(seeded, web):
    client = web("ent_huadong")
    thief = copied(client, seeded)
    token = token_for(seeded, "ent_huadong")
    res = client.post(
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert res.status_code == 302
    assert signed_in(client)
    assert not signed_in(thief)
    assert not token_works(seeded, token)


def test_deactivation_ends_every_session_and_token_at_once(seeded, web):
    victim = web("ent_huadong")
    token = token_for(seeded, "ent_huadong")
    with seeded.app_context():
        user_id = db.session.scalar(db.select(User.id).filter_by(username="ent_huadong"))
    admin = web("admin")
    res = admin.post(f"/admin/users/{user_id}/active", {"active": "0"})
    assert res.status_code == 302
    assert not signed_in(victim)
    assert not token_works(seeded, token)
    again = web(None).post("/signin", {"username": "ent_huadong", "password": PASSWORD})
    assert again.status_code == 401


def test_a_cookie_forged_with_the_key_but_no_live_session_opens_nothing(seeded):
    """What the built-in key allowed: a hand-made cookie naming the admin's id."""
    with seeded.app_context():
        admin_id = db.session.scalar(db.select(User.id).filter_by(username="admin"))
    signer = SecureCookieSessionInterface().get_signing_serializer(seeded)
    forged = signer.dumps({"_user_id": str(admin_id), "_fresh": True, "sid": "guessed"})
    client = seeded.test_client()
    client.set_cookie(seeded.config["SESSION_COOKIE_NAME"], forged, domain="localhost")
    res = client.get("/overview")
    assert res.status_code == 302 and res.location.startswith("/signin")


def test_official_is_signed_out_after_30_idle_minutes(seeded, web, clock):
    client = web("reviewer_jmj")
    clock.advance(minutes=29)
    assert signed_in(client, "/queue")  # using it restarts the idle time
    clock.advance(minutes=29)
    assert signed_in(client, "/queue")
    clock.advance(minutes=30)
    res = client.get("/queue")
    assert res.status_code == 302 and res.location.startswith("/signin")
    assert "登录已超时" in text(client.get(res.location))


def test_enterprise_keeps_its_session_for_2_idle_hours(seeded, web, clock):
    client = web("ent_huadong")
    clock.advance(minutes=119)
    assert signed_in(client)
    clock.advance(minutes=120)
    assert not signed_in(client)


def test_no_session_outlives_12_hours_however_busy(seeded, web, clock):
    client = web("ent_huadong")
    for _hour in range(11):
        clock.advance(hours=1)
        assert signed_in(client)
    clock.advance(minutes=59)
    assert signed_in(client)
    clock.advance(minutes=1)
    assert not signed_in(client)


def test_api_tokens_follow_the_same_timeouts(seeded, clock):
    token = token_for(seeded, "finance")
    clock.advance(minutes=29)
    assert token_works(seeded, token)
    clock.advance(minutes=30)
    res = ApiClient(seeded.test_client(), token).get("/api/v1/policies")
    assert res.status_code == 401
    assert res.json["error"]["code"] == "token_expired"


def test_the_server_keeps_only_a_hash_of_each_token(seeded):
    token = token_for(seeded, "finance")
    from approvals.organisations.models import UserSession

    with seeded.app_context():
        stored = db.session.scalars(db.select(UserSession.token_hash)).all()
    assert stored and token not in stored
