"""The `Idempotency-Key` header on the API's POST endpoints: a retry gets the first answer.

A client that sends a POST and loses the answer cannot tell whether it was done; sent again
with the same key, it gets the first answer (with `Idempotent-Replayed: true`) instead of a
second claim or a 409 for a version it already moved. Keys are per signed-in user.

Hooked on the API blueprint as before/after/teardown functions rather than on each view:
every POST is covered, a route added tomorrow too, and the views and `token_required` stay
as they are (the token is read here once more, only when the header is sent).

- The key is taken before the action, in a short transaction of its own: the unique
  (user, key) lets one request in and tells a concurrent duplicate 409
  `idempotency_key_in_progress`.
- The same key on another path or with another body: 422 `idempotency_key_reused`.
- An answer below 500 is kept for IDEMPOTENCY_TTL_HOURS; a server error, or an exception,
  gives the key back, so that a retry runs the action again. An expired key is replaced.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from flask import Response, current_app, g, request
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from approvals.api import bp
from approvals.api.models import IdempotencyKey
from approvals.clock import current_time
from approvals.db import transaction
from approvals.errors import Conflict, Invalid
from approvals.extensions import db
from approvals.organisations import sessions

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
_KEY = re.compile(r"[ -~]{1,128}")  # printable ASCII


def _signed_in_user_id() -> int | None:
    """The bearer token's user, or None: then the view answers 401 as it always did."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    user, _reason = sessions.check(token.strip(), "api")
    return user.id if user is not None else None


def _body_hash() -> str:
    """SHA-256 of the body. A form (an upload) has been parsed by then (approvals/input.py
    reads every field), so its fields and files are hashed instead of the raw bytes, which
    also makes a retry with a new multipart boundary the same request."""
    digest = hashlib.sha256()
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"form\0{name}\0{value}\0".encode("utf-8", "surrogatepass"))
        for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
            content = upload.stream.read()
            upload.stream.seek(0)
            label = f"file\0{name}\0{upload.filename}\0{upload.mimetype}\0"
            digest.update(label.encode("utf-8", "surrogatepass"))
            digest.update(hashlib.sha256(content).digest())
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(row: IdempotencyKey, request_hash: str) -> Response:
    if (row.method, row.path, row.request_hash) != (request.method, request.path, request_hash):
        raise Invalid(
            "该 Idempotency-Key 已用于另一个请求，请换一个新的键",
            code="idempotency_key_reused",
            fields={HEADER: "已用于另一个请求"},
        )
    if row.status is None:
        raise Conflict(
            "使用该 Idempotency-Key 的请求正在处理，请稍后再试",
            code="idempotency_key_in_progress",
        )
    response = Response(row.response_body, status=row.status, content_type=row.content_type)
    response.headers[REPLAYED] = "true"
    return response


@bp.before_request
def take_key() -> Response | None:
    """Take the key for this request, or answer with what it already holds."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    user_id = _signed_in_user_id()
    if user_id is None:
        return None
    if not _KEY.fullmatch(key) or not key.strip():
        raise Invalid(
            "Idempotency-Key 应为 1 至 128 个可打印 ASCII 字符",
            fields={HEADER: "应为 1 至 128 个可打印 ASCII 字符"},
        )
    request_hash = _body_hash()
    ttl = timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])
    # Twice at most: a request that loses the race for the key finds the winner's row.
    for _ in range(2):
        now = current_time()
        owner = (IdempotencyKey.user_id == user_id) & (IdempotencyKey.key == key)
        row = db.session.scalar(select(IdempotencyKey).where(owner))
        if row is not None and row.created_at > now - ttl:
            return _replay(row, request_hash)
        row = IdempotencyKey(
            user_id=user_id,
            key=key,
            method=request.method,
            path=request.path,
            request_hash=request_hash,
            created_at=now,
        )
        try:
            with transaction():
                # Core, not session.delete(): the unit of work would insert before deleting.
                db.session.execute(
                    delete(IdempotencyKey).where(owner, IdempotencyKey.created_at <= now - ttl)
                )
                db.session.add(row)
        except IntegrityError:
            continue
        g.idempotency_key_id = row.id
        return None
    raise Conflict(
        "使用该 Idempotency-Key 的请求正在处理，请稍后再试", code="idempotency_key_in_progress"
    )


def _give_back(key_id: int) -> None:
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == key_id))


@bp.after_request
def keep_answer(response: Response) -> Response:
    """Keep the answer for a retry; a server error or a streamed answer gives the key back."""
    key_id = g.pop("idempotency_key_id", None)
    if key_id is None:
        return response
    # The view's service committed or rolled back its own transaction: anything left
    # pending now is not part of the answer and must not be committed with it.
    db.session.rollback()
    with transaction():
        if response.status_code >= 500 or response.is_streamed or response.direct_passthrough:
            _give_back(key_id)
        else:
            row = db.session.get(IdempotencyKey, key_id)
            row.status = response.status_code
            row.response_body = response.get_data(as_text=True)
            row.content_type = response.content_type
    return response


@bp.teardown_request
def give_back_on_exception(exc: BaseException | None) -> None:
    """An exception that escaped every handler skipped `keep_answer`: free the key."""
    key_id = g.pop("idempotency_key_id", None)
    if key_id is None:
        return
    try:
        db.session.rollback()
        with transaction():
            _give_back(key_id)
    except SQLAlchemyError:
        # The database is what failed: the key stays taken until it expires.
        current_app.logger.exception("could not free Idempotency-Key row %s", key_id)
