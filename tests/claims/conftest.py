"""Claim fixtures: the signed-in web client of the web tests, for the claim pages."""

from tests.web.conftest import compiled_catalogs, web  # noqa: F401  (fixtures)
