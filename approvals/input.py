"""Input every route shares: ids in paths within the column's range, and no text a database
cannot store in a path, a query string, a form field or an uploaded file's name.

JSON bodies are read by approvals/api/parsing.py; this covers everything else, for every
rule in the URL map at once, so that a page added tomorrow is covered too.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from approvals import limits
from approvals.errors import Invalid


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


def init_app(app: Flask) -> None:
    """Before the blueprints: rules compile their converters when they are added."""
    app.url_map.converters["int"] = ColumnInteger
    app.before_request(refuse_unstorable_text)
