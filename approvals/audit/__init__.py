"""The tamper-evident record: append-only tables, hash chains, and `flask check-audit`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from approvals.audit import append_only, chain, decided_tasks
    from approvals.audit.check import notice_breaks
    from approvals.audit.cli import check_audit
    from approvals.notices.verification import RECORD_CHECKS

    append_only.install()  # the ORM guard and the triggers of create_all()
    decided_tasks.install()  # the same for review tasks once decided
    chain.install()  # the sealing of new links at flush
    app.cli.add_command(check_audit)
    # The public verification page calls a file genuine only when its record holds.
    app.extensions.setdefault(RECORD_CHECKS, []).append(notice_breaks)
