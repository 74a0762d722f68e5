"""Every web page and form answers hostile input with a 4xx (or a redirect), never a 500.

The rules come from the URL map: each GET with hostile query strings, each POST with
hostile fields, URL-encoded or multipart with files, signed out or as each role that the
page does not turn away.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import rules, send, signed_in_clients, url_map_app, useful_actors
from tests.fuzz.hostile import SETTINGS, form_requests, paths, query_strings

WEB_RULES = rules(url_map_app(), api=False)


def test_web_rules_are_found():
    found = {rule for rule, _ in WEB_RULES}
    assert {"/signup", "/claims/<int:claim_id>/act", "/finance/budgets"} <= found


@pytest.mark.parametrize(("rule", "method"), WEB_RULES, ids=[f"{m} {r}" for r, m in WEB_RULES])
def test_page_never_answers_500(fuzz, rule, method):
    clients = signed_in_clients(fuzz)
    actors = useful_actors(fuzz, "forms", clients, method, rule, lambda actor: {})
    body = form_requests() if method == "POST" else st.just((b"", None))

    @SETTINGS
    @given(
        path=paths(rule),
        query=st.one_of(st.just(""), query_strings()),
        request=body,
        actor=st.sampled_from(actors),
    )
    def fuzz_once(path, query, request, actor):
        data, content_type = request
        target = f"{path}?{query}" if query else path
        send(fuzz, clients[actor], "forms", method, target, data, content_type)

    fuzz_once()
