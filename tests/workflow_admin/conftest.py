"""Workflow admin fixtures: the platform track's journeys (tests/platform), the app restarted
on extra workflow files (tests/tasks), the signed-in web client, and reading the diagram."""

from __future__ import annotations

import html
import re

from tests.platform.conftest import track  # noqa: F401  (fixtures)
from tests.tasks.conftest import deploy  # noqa: F401
from tests.web.conftest import compiled_catalogs, text, web  # noqa: F401

SVG = re.compile(r'<svg class="workflow-diagram".*?</svg>', re.S)
STATE = re.compile(r'<g class="state" data-state="([^"]+)">(.*?)</g>', re.S)
TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


def diagram(res) -> str:
    """The workflow page's inline SVG."""
    found = SVG.search(text(res))
    assert found, "no diagram on the page"
    return found.group(0)


def drawn_states(svg: str) -> dict[str, list[str]]:
    """State name → the lines written in its box (label, count), unescaped."""
    return {
        name: [html.unescape(line) for line in TEXT.findall(body)]
        for name, body in STATE.findall(svg)
    }
