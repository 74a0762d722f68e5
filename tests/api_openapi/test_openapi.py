"""The OpenAPI document at /api/v1/openapi.json: valid 3.1, in step with the URL map, and
true to what the API answers."""

from __future__ import annotations

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from approvals.api.openapi import OPERATIONS, api_rules, openapi_path
from tests.conftest import PASSWORD

URL = "/api/v1/openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(seeded):
    res = seeded.test_client().get(URL)  # no token: the document is public
    assert res.status_code == 200
    return res.json


def test_the_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    OpenAPIV31SpecValidator(spec).validate()


def test_every_api_rule_is_documented_and_nothing_else(seeded, spec):
    in_map = {
        (openapi_path(rule), method.lower(), rule.endpoint)
        for rule, methods in api_rules(seeded)
        for method in methods
    }
    documented = {
        (path, method, op["operationId"])
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }
    assert documented == in_map
    # Every endpoint has its row in the table (a missing one would be summarised by name).
    assert {endpoint for _, _, endpoint in in_map} == set(OPERATIONS)


def test_path_parameters_come_from_the_rule(spec):
    op = spec["paths"]["/api/v1/claims/{claim_id}/transitions"]["post"]
    assert op["parameters"] == [
        {"name": "claim_id", "in": "path", "required": True,
         "schema": {"type": "integer", "minimum": 0}},
    ]  # fmt: skip
    step = spec["paths"]["/api/v1/recognition-forms/{form_id}/{action}"]["post"]
    assert step["parameters"][1]["schema"]["enum"] == ["check", "send", "return"]


def test_bodies_come_from_the_field_specs(spec):
    token = spec["paths"]["/api/v1/auth/token"]["post"]
    assert token["security"] == []
    body = token["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["properties"]) == {"username", "password"}
    upload = spec["paths"]["/api/v1/claims/{claim_id}/attachments"]["post"]["requestBody"]
    assert set(upload["content"]) == {"multipart/form-data"}
    assert "security" not in spec["paths"]["/api/v1/claims"]["post"]  # the document's bearer
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def _documented(spec, path, method, status) -> bool:
    return str(status) in spec["paths"][path][method]["responses"]


def test_answers_are_documented(seeded, spec, api):
    client = seeded.test_client()
    token = "/api/v1/auth/token"
    res = client.post(token, json={"username": "ent_huadong", "password": PASSWORD})
    assert res.status_code == 200 and _documented(spec, token, "post", 200)
    res = client.post(token, json={"username": "ent_huadong", "password": "wrong"})
    assert res.status_code == 401 and _documented(spec, token, "post", 401)
    assert res.json["error"].keys() == {"code", "message", "fields"}

    assert client.get("/api/v1/claims").status_code == 401
    assert _documented(spec, "/api/v1/claims", "get", 401)
    ent = api("ent_huadong")
    res = ent.post("/api/v1/claims", json={"policy_code": "JMJ-PLAN", "project_title": 7})
    assert res.status_code == 422 and _documented(spec, "/api/v1/claims", "post", 422)
    claim = ent.create_claim()
    assert _documented(spec, "/api/v1/claims", "post", 201)
    res = ent.get(f"/api/v1/claims/{claim['id']}")
    assert res.status_code == 200 and _documented(spec, "/api/v1/claims/{claim_id}", "get", 200)


def test_only_get(seeded):
    client = seeded.test_client()
    assert client.post(URL).status_code == 405
