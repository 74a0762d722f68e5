"""Sign-up racing itself on one username or credit code answers 409 with a clear message,
never 500 (PostgreSQL, threads: the second insert waits on the first's unique key)."""

from __future__ import annotations

import threading
import time
from contextlib import closing

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from approvals.extensions import db
from approvals.organisations.credit_code import make_credit_code
from approvals.organisations.models import Enterprise, User
from tests.web.conftest import WebClient
from tests.web.conftest import text as page_text

# Threads, each with its own connection: the rows must be committed for them to meet.
pytestmark = [
    pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)]),
    pytest.mark.committed,
]
PASSPHRASE = "a long enough passphrase"


def _body(n: int, username: str | None = None, code: str | None = None) -> dict:
    return {
        "enterprise_name": f"竞速企业{n}",
        "credit_code": code or make_credit_code(f"91330100MD{n:07d}"),
        "username": username or f"racer{n}",
        "password": PASSPHRASE,
    }


def _in_thread(call):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("res", call()))
    thread.start()
    return thread, result


def _wait_until_blocked(app, timeout: float = 20) -> None:
    """Until some backend of our database waits on a lock: the racer's insert."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + timeout
    with app.app_context(), db.engine.connect() as conn:
        while True:
            blocked = conn.execute(query).scalar()
            conn.rollback()  # pg_stat_activity is a snapshot until the transaction ends
            if blocked:
                return
            assert time.monotonic() < deadline, "the racing sign-up never reached its insert"
            time.sleep(0.02)


def _race(app, insert_first, request):
    """`insert_first` adds a row in an open transaction elsewhere; the sign-up (made by
    `request`) passes its checks, waits on the unique key, and loses when we commit."""
    with app.app_context(), closing(db.engine.connect()) as conn:
        other = Session(bind=conn)
        insert_first(other)
        other.flush()
        thread, result = _in_thread(request)
        _wait_until_blocked(app)
        other.commit()
        thread.join(timeout=30)
    return result["res"]


def _api(app, body):
    return lambda: app.test_client().post("/api/v1/auth/register", json=body)


def test_api_sign_up_losing_a_race_on_the_username_answers_409(seeded):
    res = _race(
        seeded,
        lambda s: s.add(User(username="racer", password_hash="x", role="admin")),
        _api(seeded, _body(1, username="racer")),
    )
    assert res.status_code == 409, res.json
    assert res.json["error"] == {
        "code": "username_taken",
        "message": "用户名已被使用",
        "fields": {"username": "用户名已被使用"},
    }


def test_api_sign_up_losing_a_race_on_the_credit_code_answers_409(seeded):
    code = make_credit_code("91330100MD7654321")
    res = _race(
        seeded,
        lambda s: s.add(Enterprise(name="先到企业", credit_code=code)),
        _api(seeded, _body(2, code=code)),
    )
    assert res.status_code == 409, res.json
    assert res.json["error"]["code"] == "enterprise_exists"
    assert "该企业已注册" in res.json["error"]["message"]


def test_web_sign_up_losing_a_race_shows_the_message(seeded):
    browser = WebClient(seeded.test_client())
    browser.token()  # read the CSRF token before the race: the page itself does not block
    data = {**_body(3, username="webracer"), "confirm": PASSPHRASE}
    res = _race(
        seeded,
        lambda s: s.add(User(username="webracer", password_hash="x", role="admin")),
        lambda: browser.post("/signup", data),
    )
    assert res.status_code == 409
    assert "用户名已被使用" in page_text(res)


def test_many_sign_ups_of_one_username_at_once_give_one_201_and_409s(seeded):
    start = threading.Barrier(6)
    codes = []

    def sign_up(n):
        client = seeded.test_client()
        start.wait()
        codes.append(client.post("/api/v1/auth/register", json=_body(10 + n, "same")).status_code)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(codes) == [201] + [409] * 5
