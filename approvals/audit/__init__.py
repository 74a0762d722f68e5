"""The tamper-evident record: append-only tables, hash chains, and `flask check-audit`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    # Importing registers the listeners: the ORM guard, the triggers of create_all(), and
    # the sealing of new links at flush.
    from approvals.audit import append_only, chain  # noqa: F401
    from approvals.audit.check import notice_breaks
    from approvals.audit.cli import check_audit
    from approvals.notices.verification import RECORD_CHECKS

    app.cli.add_command(check_audit)
    # The public verification page calls a file genuine only when its record holds.
    app.extensions.setdefault(RECORD_CHECKS, []).append(notice_breaks)
