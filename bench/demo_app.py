"""The benchmarks' app: a new SQLite file in a temporary folder, with the demo data."""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from approvals import create_app
from approvals.cli import DEMO_FILE
from approvals.demo import seed
from approvals.extensions import db


@contextmanager
def demo_app() -> Iterator[Flask]:
    """Yield the app inside its app context, schema created and demo data seeded."""
    tmp = Path(tempfile.mkdtemp(prefix="approvals-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "STORAGE_DIR": str(tmp / "storage"),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SECRET_KEY": "bench-only",  # serves nothing; the built-in key is refused
            "WTF_CSRF_ENABLED": False,  # the page benches sign in by posting the form
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        seed(tomllib.loads(DEMO_FILE.read_text(encoding="utf-8")))
        yield app
