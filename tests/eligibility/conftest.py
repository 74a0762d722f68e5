"""The signed-in web client (tests/web), and the city's date the conditions are judged on."""

from __future__ import annotations

from datetime import date

import pytest

from tests.web.conftest import web  # noqa: F401


def today_of(app) -> date:
    from approvals.clock import local_today

    with app.app_context():
        return local_today()


@pytest.fixture
def tick(seeded):
    """tick("2026-12-05T00:01+08:00") → the output of `flask tick` at that time."""

    def run(when: str) -> str:
        result = seeded.test_cli_runner().invoke(args=["tick", "--now", when])
        assert result.exit_code == 0, result.output
        return result.output

    return run
