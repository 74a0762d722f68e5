"""Oversight fixtures: claims driven through the one door (finance's), the web client."""

from __future__ import annotations

from tests.finance.conftest import claims, fast_notices  # noqa: F401  (the fixtures)
from tests.web.conftest import web  # noqa: F401  (the fixture)
