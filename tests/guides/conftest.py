"""The signed-in web client of tests/web, for the administrator's guide page."""

from tests.web.conftest import web  # noqa: F401
