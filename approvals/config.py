"""Configuration defaults, overridden by the environment and by create_app(config)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def from_environment(instance_path: str) -> dict:
    """Defaults: SQLite in instance/; DATABASE_URL and SECRET_KEY override."""
    instance = Path(instance_path)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'approvals.sqlite3'}"
        ),
        "STORAGE_DIR": os.environ.get("APPROVALS_STORAGE_DIR", str(instance / "storage")),
        # Public base URL printed in notices' QR codes and verification links.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "MAX_CONTENT_LENGTH": 21 * 1024 * 1024,  # one 20 MB file plus form overhead
        "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
        "API_TOKEN_MAX_AGE": 12 * 3600,
        # Department codes of the two offices that act city-wide.
        "FINANCE_DEPARTMENT": "CZJ",
        "GOVERNMENT_DEPARTMENT": "SFB",
        "WORKFLOWS_DIR": str(REPO_ROOT / "workflows"),
        "PASSWORD_HASH_METHOD": "scrypt",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "BABEL_TRANSLATION_DIRECTORIES": str(REPO_ROOT / "approvals" / "translations"),
        # Failed sign-ins per client address; successful ones are not counted.
        "SIGNIN_RATE_LIMIT": os.environ.get("SIGNIN_RATE_LIMIT", "5 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "QUEUE_PAGE_SIZE": 25,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
