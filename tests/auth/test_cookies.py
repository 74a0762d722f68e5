"""Session cookies: HttpOnly and SameSite always, Secure whenever the site is served over https."""

from __future__ import annotations

from approvals import create_app
from approvals.demo import seed
from approvals.extensions import db
from tests.conftest import DEMO, PASSWORD, base_config
from tests.web.conftest import WebClient


def _sign_in_cookie(tmp_path, base_url: str) -> str:
    config = base_config(tmp_path, f"sqlite:///{tmp_path / 'cookies.sqlite3'}")
    config["PUBLIC_BASE_URL"] = base_url
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed(DEMO)
    res = WebClient(app.test_client()).post("/signin", {"username": "gov", "password": PASSWORD})
    with app.app_context():
        db.engine.dispose()
    assert res.status_code == 302
    return res.headers["Set-Cookie"]


def test_session_cookie_is_secure_when_the_public_url_is_https(tmp_path):
    cookie = _sign_in_cookie(tmp_path, "https://approvals.example.gov.cn")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_not_secure_on_a_plain_http_address(tmp_path):
    cookie = _sign_in_cookie(tmp_path, "http://127.0.0.1:5000")
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_remember_cookie_follows_the_public_url(tmp_path):
    https = create_app(base_config(tmp_path, "sqlite://") | {"PUBLIC_BASE_URL": "https://x.cn"})
    plain = create_app(base_config(tmp_path, "sqlite://") | {"PUBLIC_BASE_URL": "http://x.cn"})
    assert https.config["REMEMBER_COOKIE_SECURE"] is True
    assert not plain.config.get("REMEMBER_COOKIE_SECURE")
