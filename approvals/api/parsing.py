"""The API's one request parser: a JSON object within size and depth limits, fields by kind.

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

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app, request

from approvals import limits
from approvals.errors import BadRequest, Invalid, TooLarge
from approvals.money import amount_error, number_text

MAX_JSON_BYTES = 64 * 1024  # the largest body any endpoint reads is a few KB
MAX_JSON_DEPTH = 8  # amount_inputs sits at depth 2

_TOKEN = re.compile(r'["\[\]{}]')
# The rest of a string after its opening quote (the "unrolled loop": linear, no backtracking).
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
NOT_AN_OBJECT = "请求体应为 JSON 对象（Content-Type: application/json）"


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


# The body -------------------------------------------------------------------------------


def _depth(text: str) -> int:
    """How deep the JSON nests, counted before json.loads can recurse into it.

    One pass: brackets inside strings do not count, and the scan stops as soon as the
    limit is passed, so a body of 64 KB of "[" costs microseconds.
    """
    depth = deepest = pos = 0
    while (found := _TOKEN.search(text, pos)) is not None:
        if found.group() == '"':
            end = _STRING_REST.match(text, found.end())
            if end is None:
                raise ValueError("unterminated string")
            pos = end.end()
            continue
        depth += 1 if found.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        pos = found.end()
    return deepest


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _unstorable(value, path: str, problems: dict) -> None:
    """Name every string, key or value, that holds NUL or a lone surrogate."""
    if isinstance(value, str):
        problem = limits.text_problem(value)
        if problem:
            problems[path or "body"] = problem
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if limits.text_problem(key):
                problems[path or "body"] = "键名" + limits.text_problem(key)
            else:
                _unstorable(item, where, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _unstorable(item, f"{path}[{index}]", problems)


def json_object() -> dict:
    """The request's body as a dict, or BadRequest / TooLarge / Invalid as above."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise BadRequest(NOT_AN_OBJECT, fields={"body": "应为 JSON 对象"})
    limit = current_app.config.get("MAX_JSON_BYTES", MAX_JSON_BYTES)
    if (request.content_length or 0) > limit:
        raise TooLarge(f"请求体不能超过 {limit // 1024} KB")
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise TooLarge(f"请求体不能超过 {limit // 1024} KB")
    try:
        text = raw.decode("utf-8-sig")
        if _depth(text) > MAX_JSON_DEPTH:
            raise BadRequest(f"JSON 嵌套不能超过 {MAX_JSON_DEPTH} 层", fields={"body": "嵌套过深"})
        data = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise BadRequest(NOT_AN_OBJECT, fields={"body": "不是有效的 JSON"}) from exc
    if not isinstance(data, dict):
        raise BadRequest(NOT_AN_OBJECT, fields={"body": "应为 JSON 对象"})
    problems: dict = {}
    _unstorable(data, "", problems)
    if problems:
        raise Invalid("；".join(problems.values()), fields=problems)
    return data


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
