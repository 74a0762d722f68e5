"""Every /api/v1 endpoint answers hostile input with a 4xx in the error shape, never a 500.

The endpoints come from the URL map, so an endpoint added tomorrow is fuzzed too. Each
gets bodies of wrong types, nesting 10,000 deep, numbers past 28 digits, digits of other
scripts, lone surrogates, NUL, overlong text, raw junk under every content type, ids past
the column's range, with no token, a forged one, or the token of each role that the
endpoint does not turn away.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import api_tokens, rules, send, url_map_app, useful_actors
from tests.fuzz.hostile import SETTINGS, form_requests, json_requests, paths, query_strings

API_RULES = rules(url_map_app(), api=True)


def bodies(method: str):
    if method in ("GET", "DELETE"):
        return st.just((b"", None))
    # Mostly JSON; multipart too, which the upload endpoint reads and the others must refuse.
    return st.one_of(json_requests(), json_requests(), json_requests(), form_requests())


def assert_error_shape(res) -> None:
    assert res.is_json, f"{res.status_code} without a JSON body: {res.get_data()[:200]!r}"
    assert set(res.json) == {"error"}, res.json
    assert set(res.json["error"]) == {"code", "message", "fields"}, res.json
    assert isinstance(res.json["error"]["fields"], dict), res.json


def test_api_rules_are_found():
    """The fuzz below covers the API: its rules are enumerated, not listed by hand."""
    found = {rule for rule, _ in API_RULES}
    assert {"/api/v1/claims", "/api/v1/claims/<int:claim_id>/transitions"} <= found


@pytest.mark.parametrize(("rule", "method"), API_RULES, ids=[f"{m} {r}" for r, m in API_RULES])
def test_api_endpoint_never_answers_500(fuzz, rule, method):
    client = fuzz.test_client()
    tokens = {**api_tokens(fuzz), "forged": "eyJ1aWQiOjF9.forged.signature"}

    def headers_for(actor):
        return {"Authorization": f"Bearer {tokens[actor]}"} if tokens.get(actor) else {}

    clients = {actor: client for actor in [None, *tokens]}
    actors = useful_actors(fuzz, "api", clients, method, rule, headers_for)
    if "forged" not in actors:
        actors.append("forged")

    @SETTINGS
    @given(
        path=paths(rule),
        query=st.one_of(st.just(""), query_strings()),
        request=bodies(method),
        actor=st.sampled_from(actors),
    )
    def fuzz_once(path, query, request, actor):
        body, content_type = request
        target = f"{path}?{query}" if query else path
        res = send(
            fuzz, client, "api", method, target, body, content_type, headers=headers_for(actor)
        )
        if res.status_code >= 400:
            assert_error_shape(res)

    fuzz_once()
