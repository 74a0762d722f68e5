"""The secret key that signs session cookies: never the built-in one outside debug and tests.

Where it comes from, first found: the `SECRET_KEY` environment variable; the file
`instance/secret_key` (random, mode 0600, written once by `make run`); else the built-in
development value, with which the app only starts in debug mode or under tests.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

BUILTIN = "dev-only-change-me"
FILE_NAME = "secret_key"


def from_instance(instance_path: str | Path) -> str | None:
    path = Path(instance_path) / FILE_NAME
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return key or None


def ensure(instance_path: str | Path) -> Path:
    """Write a random key to instance/secret_key once (mode 0600); later calls keep it."""
    path = Path(instance_path) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        file.write(secrets.token_hex(32) + "\n")
    return path


def refuse_builtin(app: Flask) -> None:
    """Stop start-up with a message that names what to set, rather than run forgeable."""
    key = app.config.get("SECRET_KEY")
    if app.debug or app.testing or (key and key != BUILTIN):
        return
    raise RuntimeError(
        "SECRET_KEY is not set: the built-in development key would let anyone forge a "
        "session cookie. Set the SECRET_KEY environment variable to a long random value "
        f"(or write one to {Path(app.instance_path) / FILE_NAME}, as `make run` does)."
    )
