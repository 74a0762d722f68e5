"""The signed-in web client of tests/web, for the claim page's stepper."""

from tests.web.conftest import web  # noqa: F401
