"""Rate limits on every credential endpoint, per account and per address, with Retry-After;
counted in a store every worker shares (Redis in production)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from approvals.organisations.credit_code import make_credit_code
from tests.auth.conftest import web_client
from tests.conftest import PASSWORD, base_config
from tests.web.conftest import text

REPO = Path(__file__).resolve().parents[2]
WRONG = "wrong password, surely"


def _token(client, username="ent_huadong", password=WRONG, address="127.0.0.1"):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_api_token_is_refused_after_repeated_failures_with_retry_after(limited_app):
    client = limited_app(SIGNIN_RATE_LIMIT="3 per minute").test_client()
    codes = [_token(client).status_code for _ in range(3)]
    refused = _token(client, password=PASSWORD)  # even the right password now waits
    assert codes == [401, 401, 401]
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "rate_limited"
    assert "登录失败次数过多" in refused.json["error"]["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_failures_are_counted_per_account_across_addresses(limited_app):
    client = limited_app(SIGNIN_RATE_LIMIT="3 per minute").test_client()
    codes = [_token(client, address=f"127.0.0.{n}").status_code for n in range(2, 6)]
    assert codes == [401, 401, 401, 429]
    assert _token(client, "ent_jiangnan", PASSWORD, address="127.0.0.9").status_code == 200


def test_failures_are_counted_per_address_across_accounts(limited_app):
    client = limited_app(SIGNIN_RATE_LIMIT="3 per minute").test_client()
    codes = [_token(client, f"user{n}").status_code for n in range(4)]
    assert codes == [401, 401, 401, 429]
    assert _token(client, "ent_jiangnan", PASSWORD, "127.0.0.9").status_code == 200


def test_web_and_api_sign_in_share_one_count(limited_app):
    app = limited_app(SIGNIN_RATE_LIMIT="3 per minute")
    browser = web_client(app)
    assert browser.post("/signin", {"username": "admin", "password": WRONG}).status_code == 401
    assert _token(app.test_client(), "admin").status_code == 401
    assert browser.post("/signin", {"username": "admin", "password": WRONG}).status_code == 401
    res = browser.post("/signin", {"username": "admin", "password": PASSWORD})
    assert res.status_code == 429
    assert "登录失败次数过多" in text(res) and "秒后再试" in text(res)
    assert int(res.headers["Retry-After"]) > 0


def test_successful_sign_ins_are_not_counted(limited_app):
    client = limited_app(SIGNIN_RATE_LIMIT="2 per minute").test_client()
    assert [_token(client, password=PASSWORD).status_code for _ in range(4)] == [200] * 4


def _sign_up(client, n: int, address="127.0.0.1"):
    return client.post(
        "/api/v1/auth/register",
        json={
            "enterprise_name": f"新企业{n}",
            "credit_code": make_credit_code(f"91330100MC{n:07d}"),
            "username": f"newcomer{n}",
            "password": "a long enough passphrase",
        },
        environ_base={"REMOTE_ADDR": address},
    )


def test_sign_up_is_limited_per_address_on_web_and_api(limited_app):
    app = limited_app(SIGNUP_RATE_LIMIT="2 per hour")
    client = app.test_client()
    assert [_sign_up(client, n).status_code for n in range(3)] == [201, 201, 429]
    browser = web_client(app)
    page = browser.post("/signup", {"username": "late", "password": "x"})
    assert page.status_code == 429 and "注册尝试过于频繁" in text(page)
    assert _sign_up(client, 9, address="127.0.0.7").status_code == 201


def test_password_change_is_limited_per_account(limited_app):
    app = limited_app(SIGNIN_RATE_LIMIT="2 per minute")
    token = _token(app.test_client(), password=PASSWORD).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {"current_password": WRONG, "new_password": "another long passphrase"}
    client = app.test_client()
    codes = [
        client.post("/api/v1/auth/password", json=body, headers=headers).status_code
        for _ in range(3)
    ]
    assert codes == [422, 422, 429]


def test_reset_link_attempts_are_limited(limited_app):
    app = limited_app(PASSWORD_RESET_RATE_LIMIT="2 per minute")
    browser = web_client(app)
    codes = [browser.get(f"/reset/guess{n}").status_code for n in range(3)]
    assert codes == [404, 404, 429]


def _worker(config: dict, attempts: list[tuple[str, str]]) -> list[int]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.auth.limit_worker", json.dumps(config), json.dumps(attempts)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def shared_config(limited_app, tmp_path):
    app = limited_app()  # the schema and demo accounts, in a file both processes open
    config = base_config(tmp_path, app.config["SQLALCHEMY_DATABASE_URI"])
    config.update(
        RATELIMIT_ENABLED=True,
        SIGNIN_RATE_LIMIT="3 per hour",
        RATELIMIT_KEY_PREFIX=f"approvals-test-{uuid.uuid4().hex}",
    )
    return config


def test_two_app_processes_share_one_count_in_redis(shared_config, redis_url):
    config = {**shared_config, "RATELIMIT_STORAGE_URI": redis_url}
    try:
        first = _worker(config, [("ent_huadong", "127.0.0.2")] * 3)
        second = _worker(config, [("ent_huadong", "127.0.0.3"), ("someone", "127.0.0.2")])
    finally:
        with redis.Redis.from_url(redis_url) as client:
            keys = list(client.scan_iter(f"{config['RATELIMIT_KEY_PREFIX']}*"))
            if keys:
                client.delete(*keys)
    assert first == [401, 401, 401]
    assert second == [429, 429]  # the account's count, then the address's, from the other process


def test_in_memory_counts_are_per_process_which_is_why_production_needs_redis(shared_config):
    config = {**shared_config, "RATELIMIT_STORAGE_URI": "memory://"}
    assert _worker(config, [("ent_huadong", "127.0.0.2")] * 3) == [401, 401, 401]
    assert _worker(config, [("ent_huadong", "127.0.0.2")]) == [401]


def test_the_default_sign_in_limit_keeps_within_100_failures_an_hour(tmp_path, monkeypatch):
    """ASVS 2.2.1: no more than 100 failed attempts an hour on one account, by default."""
    from limits import parse_many

    from approvals.config import from_environment

    monkeypatch.delenv("SIGNIN_RATE_LIMIT", raising=False)
    rules = parse_many(from_environment(str(tmp_path))["SIGNIN_RATE_LIMIT"])
    # The tightest rule, stretched to an hour: a burst cannot go past the hourly one.
    assert min(r.amount * 3600 / r.get_expiry() for r in rules) <= 100
