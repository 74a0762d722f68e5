"""Transition fields: what a move may require (`requires` in the workflow file), declared once.

A feature registers each field on the catalog with its label, widget and parser; the runtime
validates a payload with them, and the web form, the claim page's inputs and the API's
accepted keys are built from the same declarations, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from approvals.workflow.spec import Label

# parse(claim, raw value) -> (clean value, problem in Chinese or None)
Parser = Callable[[object, object], tuple[object, str | None]]
# apply(claim, clean value, today) -> extra facts for the event's payload
Applier = Callable[[object, object, date], dict | None]


@dataclass(frozen=True)
class Field:
    name: str
    label: Label
    widget: str  # "text", "textarea", "amount" or "days": how the claim page asks for it
    parse: Parser
    apply: Applier | None = None  # writes the value onto the claim before the event


def validate(fields: dict[str, Field], claim, requires: tuple[str, ...], payload: dict):
    """(clean values, field errors) for the fields a move requires. A comment is kept when
    given even where it is not required."""
    clean, errors = {}, {}
    wanted = list(requires)
    if "comment" not in wanted and payload.get("comment") and "comment" in fields:
        wanted.append("comment")
    for name in wanted:
        value, problem = fields[name].parse(claim, payload.get(name))
        if problem:
            errors[name] = problem
        else:
            clean[name] = value
    return clean, errors
