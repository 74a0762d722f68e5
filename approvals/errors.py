"""Domain errors and their translation to HTTP, as JSON for the API and HTML elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class NotFound(DomainError):
    status, code = 404, "not_found"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class Conflict(DomainError):
    status, code = 409, "conflict"


class Invalid(DomainError):
    """A well-formed request whose values are wrong: field by field, 422."""

    status, code = 422, "invalid"


class BadRequest(DomainError):
    """A request that is not what the endpoint reads at all (not a JSON object, text no
    database can store): 400, before any field is looked at."""

    status, code = 400, "bad_request"


class TooLarge(DomainError):
    status, code = 413, "too_large"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        if wants_json():
            return jsonify(error_body(exc.code, exc.message, exc.fields)), exc.status
        return (
            render_template("errors.html", status=exc.status, message=exc.message),
            exc.status,
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if wants_json():
            code = (exc.name or "error").lower().replace(" ", "_")
            return jsonify(error_body(code, exc.description or exc.name)), exc.code
        return (
            render_template("errors.html", status=exc.code, message=exc.description),
            exc.code,
        )
