"""Accessibility checks with axe-core (from the npm registry, `make setup-test` installs it):
injected into a page the browser test has open, run, and the violations of the impacts that
block people (serious, critical) returned, each with the elements it found.

Injected through the DevTools protocol (`page.evaluate`), which the page's
Content-Security-Policy does not govern: the app's own pages keep refusing inline scripts."""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


@cache
def _source() -> str:
    if not AXE.exists():
        raise RuntimeError(f"{AXE} is missing: run `make setup-test` (npm ci) first")
    return AXE.read_text("utf-8")


def violations(page, impacts=BLOCKING) -> list[str]:
    """axe's violations on the page as it stands, one line each: rule, impact, elements."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("(source) => { (0, eval)(source); }", _source())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    problems = violations(page)
    assert not problems, "axe-core:\n" + "\n".join(problems)
