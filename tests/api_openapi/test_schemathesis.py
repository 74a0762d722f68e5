"""Schemathesis drives every documented operation through WSGI with a signed-in user's
token, cases drawn from the document itself: none may answer a 5xx. Bounded: one example
per operation (about 45 requests), so it stays a smoke test beside tests/fuzz."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.api_openapi.test_openapi import URL

SETTINGS = settings(
    max_examples=1,
    deadline=None,
    database=None,
    derandomize=True,  # the same cases every run: a failure here reproduces
    suppress_health_check=list(HealthCheck),
)


def test_no_operation_answers_a_server_error(seeded, api):
    schema = schemathesis.openapi.from_wsgi(URL, seeded)
    headers = api("ent_huadong").headers
    failures = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40

    for operation in operations:
        # signout would end the token that every later operation is sent with
        if operation.path == "/api/v1/auth/signout":
            continue

        @SETTINGS
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures[case.operation.label] = (
                    case.as_curl_command(headers),
                    response.status_code,
                )
            case.validate_response(response, checks=[not_a_server_error])

        run()
    assert not failures, failures
