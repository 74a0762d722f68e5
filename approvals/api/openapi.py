"""The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json.

What cannot drift is read from the app: the paths, methods and path parameters come from
the URL map (every rule under /api/v1/, whichever blueprint holds it), and the request
bodies and query parameters from the field specs the views parse with (approvals/api/
parsing.py). The specs are named, not imported: `OPERATIONS` says "LISTING" and the
builder reads it from the view's own module, so the API package imports none of the
features that build on it (recognition forms, expert review). What the code cannot say
(a summary, the success status) is the table below, keyed by endpoint name;
tests/api_openapi checks that table and the URL map against each other.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from flask import current_app, jsonify

from approvals.api import bp, parsing

PREFIX = "/api/v1/"
PATH_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
ERROR_STATUSES = {
    400: "Not a JSON object (or not the expected content type)",
    401: "No token, or a token that has ended",
    403: "Not this user's to do",
    404: "Not found, or not visible to this user",
    409: "Conflict: a stale version, or not possible in the current state",
    413: "Body too large",
    422: "Fields wrong; each named in `error.fields`",
    429: "Too many attempts; see Retry-After",
}
# Attachments: multipart, read by approvals/input.py like every form, not by a field spec.
ATTACHMENT = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "contentMediaType": "application/octet-stream"},
        "kind": {"type": "string", "description": "the evidence kind the file is for"},
    },
}


@dataclass(frozen=True)
class Operation:
    """What the URL map and the field specs cannot say about one endpoint."""

    summary: str
    status: int = 200  # the success answer
    body: tuple[str, ...] = ()  # names, in the view's module, of specs or spec functions
    query: str | None = None  # name of the query-string spec
    schemas: dict = field(default_factory=dict)  # field → schema, where no named kind says it
    path_values: dict = field(default_factory=dict)  # path argument → name of its choices
    public: bool = False  # needs no token
    multipart: bool = False
    pdf: bool = False
    throttled: bool = False
    queued: bool = False  # may answer 202, the work handed to the task queue


OPERATIONS = {
    "api.openapi": Operation("This document", public=True),
    "api.token": Operation(
        "Sign in: a bearer token", body=("CREDENTIALS",), public=True, throttled=True
    ),
    "api.register": Operation(
        "Enterprise sign-up: the company and its first user, with a token",
        status=201,
        body=("SIGN_UP",),
        public=True,
        throttled=True,
    ),  # fmt: skip
    "api.change_password": Operation(
        "Change the password: a new token, every other session ends",
        body=("PASSWORD_CHANGE",),
        throttled=True,
    ),  # fmt: skip
    "api.signout": Operation("End every session and token of the user", status=204),
    "api.policies": Operation("The policies this user may claim under"),
    "api.list_claims": Operation("The claims this user may see, a page at a time", query="LISTING"),
    "api.create_claim": Operation("File a draft claim", status=201, body=("NEW_CLAIM",)),
    "api.get_claim": Operation("One claim, with its actions and notices"),
    "api.update_claim": Operation("Change a draft claim", body=("CLAIM",)),
    "api.add_attachment": Operation("Upload evidence to a claim", status=201, multipart=True),
    "api.agency_consent": Operation(
        "The claimant consents to an agency filing",
        schemas={"version": {"type": "integer", "minimum": 1}},  # read inline by the view
    ),
    "api.transition": Operation(
        "Move a claim along its workflow", body=("transition_fields", "TRANSITION")
    ),
    "api.notice_pdf": Operation("A notice's PDF (202 while it is being made)", pdf=True),
    "api.list_reward_recipients": Operation("The claim's reward recipients"),
    "api.add_reward_recipient": Operation(
        "Name a reward recipient", status=201, body=("RECIPIENT",)
    ),
    "api.remove_reward_recipient": Operation("Remove a reward recipient"),
    "api.list_tasks": Operation("This official's review tasks", query="LISTING"),
    "api.claim_task": Operation("Take a review task"),
    "api.decide_task": Operation("Decide a review task", body=("transition_fields", "DECISION")),
    "api.list_delegations": Operation("This official's delegations"),
    "api.create_delegation": Operation(
        "Delegate to a colleague for a period", status=201, body=("DELEGATION",)
    ),
    "api.revoke_delegation": Operation("Revoke a delegation"),
    "api.get_profile": Operation("The enterprise's profile"),
    "api.put_profile": Operation("Change the enterprise's profile", body=("PROFILE",)),
    "api.list_workflows": Operation("The workflows, with their claims by state"),
    "api.get_workflow": Operation("One workflow, at a version", query="VERSION"),
    "api.admin_policies": Operation("The clauses, for the administrator"),
    "api.admin_create_policy": Operation("Create a clause", status=201, body=("CLAUSE",)),
    "api.admin_policy": Operation("One clause"),
    "api.admin_edit_policy": Operation("Change a clause (a new version)", body=("CLAUSE",)),
    "api.admin_policy_versions": Operation("A clause's versions, newest first"),
    "finance_api.get_batch": Operation("A payout batch, with its payment progress"),
    "finance_api.confirm_batch": Operation(
        "Confirm a payout batch (202 while a worker pays it)", queued=True
    ),
    "recognition_forms_api.list_forms": Operation(
        "The recognition forms this user may see", query="YEAR"
    ),
    "recognition_forms_api.prepare": Operation(
        "Prepare a recognition form", status=201, body=("PREPARE",)
    ),
    "recognition_forms_api.show": Operation("One recognition form"),
    "recognition_forms_api.step": Operation(
        "Check, send or return a recognition form",
        body=("STEP",),
        path_values={"action": "STEPS"},
    ),  # fmt: skip
    "recognition_forms_api.pdf": Operation("The notice of a sent form", pdf=True),
    "recognition_forms_api.deadline_report": Operation(
        "The departments' deadline report", query="YEAR"
    ),
    "expert_review_api.assigned": Operation("The expert's claims, each with its sheet"),
    "expert_review_api.sheet": Operation("One claim's score sheet"),
    "expert_review_api.score": Operation("Score a claim", body=("SCORES",)),
    "expert_review_api.declare_conflict": Operation(
        "Declare a conflict of interest", body=("CONFLICT",)
    ),
    "expert_review_api.ranking_of": Operation("A clause's ranking"),
    "expert_review_api.fund": Operation(
        "Fund the best within the budget, refuse the rest",
        body=("FUND",),
        schemas={"ranked": {"type": "array", "items": {"type": "integer"}}},
    ),  # fmt: skip
}


def kind_schema(kind) -> dict:
    """The JSON Schema of one field kind of approvals/api/parsing.py."""
    if isinstance(kind, parsing.Text):
        return {"type": "string", "maxLength": kind.max_length}
    if isinstance(kind, parsing.Integer | parsing.QueryInteger):
        return {"type": "integer", "minimum": kind.minimum, "maximum": kind.maximum}
    if isinstance(kind, parsing.Amount):
        return {"type": ["string", "number"], "description": "yuan", "examples": ["120000.00"]}
    if isinstance(kind, parsing.Boolean):
        return {"type": "boolean"}
    if isinstance(kind, parsing.Day):
        return {"type": "string", "format": "date"}
    if isinstance(kind, parsing.Scalar):
        return {"type": ["string", "number"], "maxLength": kind.max_length}
    if isinstance(kind, parsing.Inputs):
        item = {"type": ["string", "number", "null"]}
        return {"type": "object", "maxProperties": kind.max_keys, "additionalProperties": item}
    if type(kind).__name__ == "Codes":  # approvals/api/admin_policies.py, not imported
        return {"type": "array", "maxItems": kind.max_items, "items": {"type": "string"}}
    return {}  # a kind the table describes (Operation.schemas), or any JSON value


def _spec(module, name: str) -> dict:
    found = getattr(module, name)
    return found() if callable(found) else found


def _object(spec: dict, overrides: dict) -> dict:
    properties = {k: kind_schema(v) for k, v in spec.items()} | overrides
    return {"type": "object", "properties": properties}


def _parameters(rule, op: Operation, module) -> list[dict]:
    parameters = []
    for match in PATH_ARGUMENT.finditer(rule.rule):
        converter, name = match["converter"], match["name"]
        schema = {"type": "integer", "minimum": 0} if converter == "int" else {"type": "string"}
        if name in op.path_values:
            schema["enum"] = list(getattr(module, op.path_values[name]))
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    query = _spec(module, op.query) if op.query else {}
    for name, kind in query.items():
        parameters.append({"name": name, "in": "query", "schema": kind_schema(kind)})
    return parameters


def _responses(op: Operation, method: str) -> dict:
    ok = {"description": op.summary}
    if op.pdf:
        ok["content"] = {"application/pdf": {"schema": {"type": "string"}}}
    elif op.status != 204:
        ok["content"] = {"application/json": {"schema": {"type": "object"}}}
    statuses = {404}
    if not op.public:
        statuses |= {401, 403}
    if op.body or op.schemas or op.multipart:
        statuses |= {400, 413, 422}
    if op.query:
        statuses.add(422)
    if method != "GET":
        statuses |= {400, 409, 413, 422}
    if op.throttled:
        statuses.add(429)
    if op.public and op.throttled:
        statuses.add(401 if op.status == 200 else 409)  # wrong password; name taken
    responses = {str(op.status): ok}
    if op.pdf:
        responses["202"] = _error("Still being made; see Retry-After")
    if op.queued:
        responses["202"] = {**ok, "description": "Handed to the task queue; poll Location"}
    responses |= {str(s): _error(ERROR_STATUSES[s]) for s in sorted(statuses)}
    return responses


def _error(description: str) -> dict:
    schema = {"$ref": "#/components/schemas/Error"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _operation(endpoint: str, rule, method: str) -> dict:
    op = OPERATIONS.get(endpoint) or Operation(endpoint)
    module = sys.modules[current_app.view_functions[endpoint].__module__]
    doc = {
        "operationId": endpoint,
        "summary": op.summary,
        "tags": [endpoint.partition(".")[0]],
        "responses": _responses(op, method),
    }
    if parameters := _parameters(rule, op, module):
        doc["parameters"] = parameters
    if op.public:
        doc["security"] = []
    if op.multipart:
        doc["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": ATTACHMENT}},
        }
    elif op.body or op.schemas:
        spec = {}
        for name in op.body:
            spec |= _spec(module, name)
        schema = _object(spec, op.schemas)
        doc["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    return doc


def api_rules(app):
    """(rule, methods) for every rule of the JSON API, HEAD and OPTIONS left out."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith(PREFIX):
            yield rule, sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})


def openapi_path(rule) -> str:
    """`/claims/<int:claim_id>` → `/claims/{claim_id}`."""
    return PATH_ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule.rule)


def document(app) -> dict:
    paths: dict[str, dict] = {}
    for rule, methods in api_rules(app):
        item = paths.setdefault(openapi_path(rule), {})
        for method in methods:
            item[method.lower()] = _operation(rule.endpoint, rule, method)
    error = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object"},
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Approvals JSON API",
            "version": "1",
            "description": "Amounts are strings with two decimals. Errors have one shape.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer <token>, from POST /api/v1/auth/token",
                }
            },
            "schemas": {"Error": error},
        },
        "security": [{"bearer": []}],
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document(current_app))
