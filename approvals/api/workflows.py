"""API v1: the loaded workflows, for administrators (the JSON twin of /admin/workflows).

`GET /admin/workflows` lists every loaded (name, version) with its claims; `GET
/admin/workflows/<name>?version=N` (the newest without one) gives its states in the file's
order with their claims, its transitions, and the review tasks awaiting a decision per
department and state. Errors as elsewhere: 403 (not an administrator), 404 (no such
workflow or version), 422 (a version that is not a number).
"""

from __future__ import annotations

from flask import jsonify

from approvals.api import bp, parsing
from approvals.api.auth import token_required
from approvals.api.parsing import QueryInteger
from approvals.workflow.spec import Label, StateSpec, TransitionSpec
from approvals.workflow_admin import queries

VERSION = {"version": QueryInteger(1, 10**6)}


def _label(text: Label) -> dict:
    return {"zh": text.zh, "en": text.en}


def _state(row: queries.StateCount) -> dict:
    spec: StateSpec | None = row.spec
    return {
        "name": row.name,
        "label": _label(spec.label) if spec else None,  # None: no longer in the file
        "tags": sorted(spec.tags) if spec else [],
        "queue": spec.queue if spec else None,
        "deadline": spec.deadline_rule if spec else None,
        "on_deadline": spec.on_deadline if spec else None,
        "final": spec.final if spec else False,
        "has_tasks": bool(spec and spec.tasks),
        "claims": row.claims,
    }


def _transition(t: TransitionSpec) -> dict:
    return {
        "trigger": t.trigger,
        "label": _label(t.label),
        "sources": list(t.sources),
        "dest": t.dest,
        "roles": list(t.roles),
        "conditions": list(t.conditions),
        "unless": list(t.unless),
        "notice": t.notice,
        "effects": list(t.effects),
    }


def _tasks(t: queries.OpenTasks) -> dict:
    department = t.department
    return {
        "department": department.code if department else None,
        "role": t.role,
        "state": t.state,
        "open": t.open,
        "claimed": t.held,
    }


@bp.get("/admin/workflows")
@token_required
def list_workflows(actor):
    return jsonify(
        {
            "items": [
                {
                    "name": v.spec.name,
                    "version": v.spec.version,
                    "latest": v.latest,
                    "initial": v.spec.initial,
                    "states": len(v.spec.states),
                    "transitions": len(v.spec.transitions),
                    "claims": v.claims,
                }
                for v in queries.listing(actor)
            ]
        }
    )


@bp.get("/admin/workflows/<name>")
@token_required
def get_workflow(actor, name: str):
    queries.require_admin(actor)  # refused before its query string is read
    version = parsing.query(VERSION).get("version")
    seen = queries.overview(actor, name, version)
    return jsonify(
        {
            "name": seen.spec.name,
            "version": seen.spec.version,
            "versions": seen.versions,
            "initial": seen.spec.initial,
            "claims": seen.claims,
            "states": [_state(row) for row in seen.states],
            "transitions": [_transition(t) for t in seen.spec.transitions],
            "open_tasks": [_tasks(t) for t in seen.tasks],
        }
    )
