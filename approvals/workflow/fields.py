"""Transition fields: what a move may require (`requires` in the workflow file), declared once.

A feature registers each field on the catalog with its label, widget and parser; the runtime
validates a payload with them, and the web form, the claim page's inputs and the API's
accepted keys are built from the same declarations, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as member
from datetime import date

from approvals.workflow.spec import Label

# parse(claim, raw value) -> (clean value, problem in Chinese or None)
Parser = Callable[[object, object], tuple[object, str | None]]
# apply(claim, clean value, today) -> extra facts for the event's payload
Applier = Callable[[object, object, date], dict | None]

# What each widget asks of the browser before the field's own attributes: the keyboard an
# amount or a count of days calls up on a phone, and the size of a box for prose.
WIDGETS: dict[str, dict[str, object]] = {
    "text": {},
    "textarea": {"rows": 4},
    "amount": {"inputmode": "decimal", "autocomplete": "off"},
    "days": {"type": "number", "inputmode": "numeric", "step": 1},
    "percent": {"inputmode": "decimal", "autocomplete": "off"},
    "date": {"type": "date"},
}


@dataclass(frozen=True)
class Field:
    name: str
    label: Label
    widget: str  # a key of WIDGETS: how the claim page asks for it
    parse: Parser
    apply: Applier | None = None  # writes the value onto the claim before the event
    hint: Label | None = None  # what the value should be, printed under the input
    # HTML attributes of the input beyond the widget's (min, max, …); not part of the hash,
    # which the per-form-class cache relies on.
    attrs: Mapping[str, object] = member(default_factory=dict, hash=False)
    max_length: int | None = None  # of the text typed: the form's and the API's limit
    default: str | None = None  # what the input holds when the page is first shown
    prefill: Callable[[object], str] | None = None  # a value from the claim, before default
    # Taken with any move when given, even one that does not require it: an official may
    # give an opinion on every decision, and the claim page always offers it.
    kept_when_given: bool = False

    def __post_init__(self):
        if self.widget not in WIDGETS:
            raise ValueError(f"field '{self.name}': unknown widget '{self.widget}'")

    def input_attrs(self) -> dict[str, object]:
        return {**WIDGETS[self.widget], **self.attrs}

    def initial(self, claim) -> str | None:
        """What the input holds when the claim page offers it."""
        return self.prefill(claim) if self.prefill is not None else self.default


def validate(fields: dict[str, Field], claim, requires: tuple[str, ...], payload: dict):
    """(clean values, field errors) for the fields a move requires, and for the fields kept
    when given (the opinion) where they were given."""
    clean, errors = {}, {}
    wanted = list(requires)
    for name, spec in fields.items():
        if spec.kept_when_given and name not in wanted and payload.get(name):
            wanted.append(name)
    for name in wanted:
        value, problem = fields[name].parse(claim, payload.get(name))
        if problem:
            errors[name] = problem
        else:
            clean[name] = value
    return clean, errors
