"""Reference data that every move reads and an administrator changes rarely (the calendar's
entered days, the city offices' names on notices): kept per application for a minute.

Why: the door read them on every transition (three of its seventeen statements, issue 14).
A write through this process's ORM forgets them at once (`watch`); another process (a
gunicorn worker) sees an administrator's change within `TTL` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

TTL = 60.0
STORE = "approvals.reference"
WATCHED: dict[type, set[str]] = {}  # model → the keys a write of it makes stale


def cached(key: str, load: Callable[[], object]):
    """The value under `key`, loaded by `load()` when missing or older than TTL."""
    store = current_app.extensions.setdefault(STORE, {})
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    store[key] = (now + TTL, value)
    return value


def forget(*keys: str) -> None:
    store = current_app.extensions.get(STORE, {})
    for key in keys:
        store.pop(key, None)


def watch(model: type, *keys: str) -> None:
    """Forget `keys` whenever this process flushes a write of a `model` row."""
    WATCHED.setdefault(model, set()).update(keys)
    if not event.contains(Session, "after_flush", _forget_written):
        event.listen(Session, "after_flush", _forget_written)


def _forget_written(session: Session, _flush_context) -> None:
    if not has_app_context():
        return
    for row in (*session.new, *session.dirty, *session.deleted):
        keys = WATCHED.get(type(row))
        if keys:
            forget(*keys)
