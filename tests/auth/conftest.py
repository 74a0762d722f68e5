"""Fixtures for authentication: an injected clock, apps with rate limits on, a Redis server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from approvals import create_app
from approvals.demo import seed
from approvals.extensions import db
from tests.conftest import DEMO, base_config
from tests.redis_server import RedisServer
from tests.web.conftest import WebClient, web  # noqa: F401  (the signed-in web client fixture)


class Clock:
    """The time the session rules read (`AUTH_CLOCK`); tests move it, nobody sleeps."""

    def __init__(self):
        self.now = datetime(2027, 3, 1, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(seeded):
    clock = Clock()
    seeded.config["AUTH_CLOCK"] = clock
    return clock


@pytest.fixture
def limited_app(tmp_path):
    """limited_app(**config) → a new SQLite app with the demo data and rate limits on."""
    apps = []

    def make(**overrides):
        config = base_config(tmp_path, f"sqlite:///{tmp_path / f'limits{len(apps)}.sqlite3'}")
        config.update(RATELIMIT_ENABLED=True, **overrides)
        app = create_app(config)
        with app.app_context():
            db.create_all()
            seed(DEMO)
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def web_client(app, address: str = "127.0.0.1") -> WebClient:
    """A browser at `address` (the WSGI REMOTE_ADDR the per-address limits read)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return WebClient(client)


@pytest.fixture(scope="session")
def redis_url():
    server = RedisServer()
    yield server.url
    server.close()
