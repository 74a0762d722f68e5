"""Fixtures for the operators' endpoints: a real Redis, and /metrics read as Prometheus does."""

from __future__ import annotations

import socket
from contextlib import closing

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.redis_server import RedisServer


@pytest.fixture(scope="session")
def redis_url():
    server = RedisServer()
    yield server.url
    server.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then let go)."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """(sample name, its labels) → value, parsed as Prometheus parses a scrape."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def total(scraped: dict, name: str, **labels) -> float:
    """The sum of `name` over every series carrying `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in scraped.items() if n == name and wanted <= ls)


@pytest.fixture
def scrape(app):
    """scrape() → the samples of /metrics, fetched from 127.0.0.1 like a local Prometheus."""
    client = app.test_client()

    def read() -> dict:
        res = client.get("/metrics")
        assert res.status_code == 200, res.get_data(as_text=True)
        return samples(res.get_data(as_text=True))

    return read
