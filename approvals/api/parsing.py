"""The API's one request parser: the JSON object (read by approvals/input.py within its size
and depth limits), fields by kind.

What a caller gets wrong, and what it answers:
- a body that is not a JSON object at all (wrong Content-Type, not UTF-8, not JSON, nested
  deeper than MAX_JSON_DEPTH, an array or a string at the top): 400 `bad_request`;
- a body larger than MAX_JSON_BYTES: 413 `too_large`;
- a field of the wrong type, too long, out of range, or holding text no database stores
  (NUL, lone surrogates): 422 `invalid`, every such field named in `fields` at once.
Keys an endpoint does not read are ignored, as they always were. A field given as JSON
`null` counts as absent: the service decides whether it was required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import request

from approvals import limits
from approvals.errors import Invalid
from approvals.input import json_object
from approvals.money import amount_error, number_text


class FieldError(ValueError):
    """One field's problem, in Chinese; collected into Invalid(fields=…)."""


# Field kinds -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    max_length: int

    def __call__(self, value):
        if not isinstance(value, str):
            raise FieldError("应为文字")
        if len(value.strip()) > self.max_length:
            raise FieldError(f"不能超过{self.max_length}个字符")
        return value


@dataclass(frozen=True)
class Integer:
    minimum: int = 1
    maximum: int = limits.ID_MAX

    def __call__(self, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError("应为整数")
        if not self.minimum <= value <= self.maximum:
            raise FieldError(f"应在 {self.minimum} 至 {self.maximum} 之间")
        return value


@dataclass(frozen=True)
class Amount:
    """Yuan: a string ("120000.00") or a number; Decimal with two places, NUMERIC(14, 2)."""

    def __call__(self, value):
        amount, problem = amount_error(value)
        if problem:
            raise FieldError(problem)
        return amount


@dataclass(frozen=True)
class Boolean:
    def __call__(self, value):
        if not isinstance(value, bool):
            raise FieldError("应为 true 或 false")
        return value


@dataclass(frozen=True)
class Day:
    """An ISO date, "2026-03-31"."""

    def __call__(self, value):
        if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise FieldError("应为日期，如 2026-03-31")


@dataclass(frozen=True)
class Scalar:
    """A short text or number whose meaning a service checks (an amount rule's input)."""

    max_length: int = 32

    def __call__(self, value):
        if isinstance(value, str):
            return Text(self.max_length)(value)
        if number_text(value) is None:
            raise FieldError("应为文字或数字")
        return value


@dataclass(frozen=True)
class Inputs:
    """An object of scalars, e.g. amount_inputs {principal, annual_rate, months}."""

    max_keys: int = 16

    def __call__(self, value):
        if not isinstance(value, dict) or len(value) > self.max_keys:
            raise FieldError("应为 JSON 对象")
        problems = {}
        for key, item in value.items():
            try:
                Text(32)(key)
                if item is not None:
                    Scalar()(item)
            except FieldError as exc:
                problems[key] = str(exc)
        if problems:
            raise FieldError("；".join(f"{k}：{v}" for k, v in problems.items()))
        return value


def fields(data, spec: dict) -> dict:
    """The keys of `spec` present in `data` (a dict or request.args), each checked by its
    kind; every wrong field is named at once."""
    clean, problems = {}, {}
    for name, kind in spec.items():
        value = data.get(name)
        if value is None:
            continue
        try:
            clean[name] = kind(value)
        except FieldError as exc:
            problems[name] = str(exc)
    if problems:
        raise Invalid("；".join(f"{k}：{v}" for k, v in problems.items()), fields=problems)
    return clean


def body(spec: dict) -> dict:
    """The request's JSON object, read through `spec`."""
    return fields(json_object(), spec)


@dataclass(frozen=True)
class QueryInteger:
    """An integer in the query string: ASCII digits within a range."""

    minimum: int = 1
    maximum: int = limits.ID_MAX

    def __call__(self, value: str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 10:
            raise FieldError("应为整数")
        return Integer(self.minimum, self.maximum)(int(text))


def query(spec: dict) -> dict:
    """Query-string parameters read through `spec` (QueryInteger or Text kinds); an empty
    parameter (`?limit=`) counts as absent."""
    return fields({k: v for k, v in request.args.items() if v != ""}, spec)
