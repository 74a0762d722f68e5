"""Fixtures of the notice tests: the signed-in web client."""

from tests.web.conftest import web  # noqa: F401  (the fixture)
