"""What other features show on the claim page, registered by name in their init_app.

Finance adds its money panel (budget, batch), notices the list of issued notices; the claim
page asks each for what this viewer may see of this claim (None: nothing), so that claims
imports neither. A panel may also say where a move is taken instead of the claim page
(`elsewhere(transition) -> url`), e.g. a payout through the claim's batch.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

PANELS = "approvals.claim_panels"


def register(app: Flask, name: str, build: Callable) -> None:
    """`build(actor, claim)` gives the panel's value for the page, or None."""
    panels = app.extensions.setdefault(PANELS, {})
    if name in panels:
        raise ValueError(f"claim page panel '{name}' is registered twice")
    panels[name] = build


def build_all(actor, claim) -> dict:
    return {name: build(actor, claim) for name, build in current_app.extensions[PANELS].items()}


def elsewhere(panels: dict, transition) -> str | None:
    """Where a panel says `transition` is taken instead of the claim page, if one does."""
    for panel in panels.values():
        where = getattr(panel, "elsewhere", None)
        url = where(transition) if callable(where) else None
        if url:
            return url
    return None
