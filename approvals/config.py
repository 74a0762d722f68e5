"""Configuration defaults, overridden by the environment and by create_app(config)."""

from __future__ import annotations

import os
from pathlib import Path

from approvals.secret_key import BUILTIN, from_instance

REPO_ROOT = Path(__file__).resolve().parent.parent


def from_environment(instance_path: str) -> dict:
    """Defaults: SQLite in instance/; DATABASE_URL and SECRET_KEY override."""
    instance = Path(instance_path)
    return {
        # Environment, else instance/secret_key (made by `make run`), else the built-in
        # development value, refused outside debug and tests (approvals/secret_key.py).
        "SECRET_KEY": os.environ.get("SECRET_KEY") or from_instance(instance) or BUILTIN,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance / 'approvals.sqlite3'}"
        ),
        "STORAGE_DIR": os.environ.get("APPROVALS_STORAGE_DIR", str(instance / "storage")),
        # Public base URL printed in notices' QR codes and verification links.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "MAX_CONTENT_LENGTH": 21 * 1024 * 1024,  # one 20 MB file plus form overhead
        "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
        # Department codes of the two offices that act city-wide.
        "FINANCE_DEPARTMENT": "CZJ",
        "GOVERNMENT_DEPARTMENT": "SFB",
        # The city, printed in the offices' full names on notices (示范市经济贸易局).
        "CITY_NAME": os.environ.get("CITY_NAME", "示范市"),
        "WORKFLOWS_DIR": str(REPO_ROOT / "workflows"),
        # How often Celery beat sends `tick` (approvals/ticking.py) when a queue is configured.
        "TICK_SECONDS": int(os.environ.get("TICK_SECONDS", "60")),
        # scrypt with N = 2**16 (ASVS 2.4.6); werkzeug's plain "scrypt" is N = 2**15.
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt:65536:8:1"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "zh_Hans_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "BABEL_TRANSLATION_DIRECTORIES": str(REPO_ROOT / "approvals" / "translations"),
        # Failed sign-ins (web and API) and failed password changes, counted per client
        # address and per account; successful ones are not counted.
        "SIGNIN_RATE_LIMIT": os.environ.get(
            # ASVS 2.2.1: no more than 100 failed attempts an hour on one account.
            "SIGNIN_RATE_LIMIT",
            "5 per minute; 100 per hour",
        ),
        # Sign-ups per address and per username, successful or not.
        "SIGNUP_RATE_LIMIT": os.environ.get("SIGNUP_RATE_LIMIT", "10 per hour"),
        # Failed attempts on a password-reset link, per address and per link.
        "PASSWORD_RESET_RATE_LIMIT": os.environ.get("PASSWORD_RESET_RATE_LIMIT", "5 per minute"),
        # Where the attempts are counted: Redis in production, so all workers share a count.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        # Operations (approvals/operations/): "json" access-log lines (gunicorn.conf.py's
        # default), else plain ones; /metrics for loopback callers or this bearer token.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "plain"),
        # The task queue whose workers render notices after the commit (approvals/worker.py);
        # none: the web process renders them itself.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or None,
        "CELERY_QUEUE": os.environ.get("CELERY_QUEUE", "approvals"),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # Notifications (approvals/notifications/): e-mail over SMTP and SMS through a
        # gateway's HTTP API, each off until configured; a failed delivery is retried by
        # `deliver-pending` and `tick`, at most NOTIFY_MAX_ATTEMPTS times.
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", 25) or 25),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "") in ("1", "true", "yes"),
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", 10) or 10),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "noreply@approvals.example.gov.cn"),
        "SMS_GATEWAY_URL": os.environ.get("SMS_GATEWAY_URL") or None,
        "SMS_GATEWAY_TOKEN": os.environ.get("SMS_GATEWAY_TOKEN") or None,
        "SMS_GATEWAY_TIMEOUT": float(os.environ.get("SMS_GATEWAY_TIMEOUT", 10) or 10),
        "NOTIFY_MAX_ATTEMPTS": int(os.environ.get("NOTIFY_MAX_ATTEMPTS", 8) or 8),
        # Server-side sessions and API tokens (approvals/organisations/sessions.py).
        "SESSION_IDLE_OFFICIAL_MINUTES": int(os.environ.get("SESSION_IDLE_OFFICIAL_MINUTES", 30)),
        "SESSION_IDLE_ENTERPRISE_MINUTES": int(
            os.environ.get("SESSION_IDLE_ENTERPRISE_MINUTES", 120)
        ),
        "SESSION_ABSOLUTE_HOURS": int(os.environ.get("SESSION_ABSOLUTE_HOURS", 12)),
        # How long an administrator's one-time password-reset link stays valid.
        "PASSWORD_RESET_HOURS": int(os.environ.get("PASSWORD_RESET_HOURS", 24)),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Reverse proxies in front of the app (nginx: 1) whose X-Forwarded-For is trusted.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0") or 0),
        "QUEUE_PAGE_SIZE": 25,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # How long a SQLite connection waits for the single writer before "database is
        # locked" (approvals/db.py); the rush holds the write lock for milliseconds.
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", 15000)),
        # The reports page's snapshot is recomputed when the data moved, or at this age
        # (seconds) at the latest (approvals/finance/report_snapshots.py).
        "REPORT_SNAPSHOT_MAX_AGE": int(os.environ.get("REPORT_SNAPSHOT_MAX_AGE", 3600)),
        # How long an API answer is kept for a retry with the same Idempotency-Key.
        "IDEMPOTENCY_TTL_HOURS": int(os.environ.get("IDEMPOTENCY_TTL_HOURS", 24)),
    }
