"""Input every route shares: ids in paths within the column's range, and no text a database
cannot store in a path, a query string, a form field or an uploaded file's name.

This covers every rule in the URL map at once, so that a page added tomorrow is covered
too. A JSON body is read by `json_object()`, within size and depth limits, by the API
(approvals/api/parsing.py checks its fields) and by the sign-in throttle, which counts per
account named in it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

from flask import Flask, current_app, request
from werkzeug.routing import IntegerConverter

from approvals import limits
from approvals.errors import BadRequest, Invalid, TooLarge
from approvals.i18n import N_

MAX_JSON_BYTES = 64 * 1024  # the largest body any endpoint reads is a few KB
MAX_JSON_DEPTH = 8  # amount_inputs sits at depth 2

_TOKEN = re.compile(r'["\[\]{}]')
# The rest of a string after its opening quote (the "unrolled loop": linear, no backtracking).
_STRING_REST = re.compile(r'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
NOT_AN_OBJECT = N_("请求体应为 JSON 对象（Content-Type: application/json）")


class ColumnInteger(IntegerConverter):
    """`<int:…>` that matches only what an INTEGER column can hold: /claims/99999999999 is
    a 404 like any other claim that does not exist, not an overflow in the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, limits.ID_MAX if max is None else max, signed)


def _problems() -> dict:
    found = {}

    def check(where: str, text) -> None:
        problem = limits.text_problem(text) if isinstance(text, str) else None
        if problem:
            found.setdefault(where, problem)

    for name, value in (request.view_args or {}).items():
        check(name, value)
    for source in (request.args, request.form):
        for name, values in source.lists():
            check(name, name)
            for value in values:
                check(name, value)
    for name, upload in request.files.items(multi=True):
        check(name, upload.filename)
    return found


def refuse_unstorable_text() -> None:
    problems = _problems()
    if problems:
        raise Invalid("；".join(f"{k}：{v}" for k, v in problems.items()), fields=problems)


# A JSON body --------------------------------------------------------------------------


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
                problems[path or "body"] = N_("键名") + limits.text_problem(key)
            else:
                _unstorable(item, where, problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _unstorable(item, f"{path}[{index}]", problems)


def json_object() -> dict:
    """The request's body as a dict. BadRequest (400) when it is not a JSON object at all
    (wrong Content-Type, not UTF-8, not JSON, nested deeper than MAX_JSON_DEPTH, not an
    object); TooLarge (413) past MAX_JSON_BYTES; Invalid (422) for text no column stores."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise BadRequest(NOT_AN_OBJECT, fields={"body": N_("应为 JSON 对象")})
    limit = current_app.config.get("MAX_JSON_BYTES", MAX_JSON_BYTES)
    if (request.content_length or 0) > limit:
        raise TooLarge(f"请求体不能超过 {limit // 1024} KB")
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise TooLarge(f"请求体不能超过 {limit // 1024} KB")
    try:
        text = raw.decode("utf-8-sig")
        if _depth(text) > MAX_JSON_DEPTH:
            raise BadRequest(
                f"JSON 嵌套不能超过 {MAX_JSON_DEPTH} 层", fields={"body": N_("嵌套过深")}
            )
        data = json.loads(text, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise BadRequest(NOT_AN_OBJECT, fields={"body": N_("不是有效的 JSON")}) from exc
    if not isinstance(data, dict):
        raise BadRequest(NOT_AN_OBJECT, fields={"body": N_("应为 JSON 对象")})
    problems: dict = {}
    _unstorable(data, "", problems)
    if problems:
        raise Invalid("；".join(problems.values()), fields=problems)
    return data


def init_app(app: Flask) -> None:
    """Before the blueprints: rules compile their converters when they are added."""
    app.url_map.converters["int"] = ColumnInteger
    app.before_request(refuse_unstorable_text)
