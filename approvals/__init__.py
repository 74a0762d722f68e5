"""Approvals: a workflow engine and web application for policy subsidy redemption (政策兑现)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from approvals import (
    api,
    audit,
    claims,
    eligibility,
    expert_review,
    finance,
    guides,
    idle_land,
    library,
    notices,
    notifications,
    operations,
    organisations,
    oversight,
    policies,
    proactive,
    progress,
    publicity,
    ratings,
    recognition_forms,
    supervision,
    ticking,
    web,
    workflow,
    workflow_admin,
)
from approvals import (
    input as request_input,
)
from approvals.config import REPO_ROOT, from_environment
from approvals.web import security

# In this order: security, operations and input first (headers, a request id and timing on
# every answer; the `int` converter is replaced before any blueprint's rules are made); then
# the features, each registering its guards, fields, effects and pages; the audit record's
# guards once every model is known; the workflow files last, validated against what the
# features registered.
FEATURES = (
    security,
    operations,
    request_input,
    organisations,
    policies,
    claims,
    library,
    notices,
    notifications,
    supervision,
    finance,
    recognition_forms,
    publicity,
    oversight,
    expert_review,
    idle_land,
    guides,
    eligibility,
    progress,
    ratings,
    proactive,
    workflow_admin,
    api,
    web,
    audit,
    ticking,
    workflow,
)


def create_app(config: dict | None = None) -> Flask:
    """The application factory; nothing runs at import time."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
    )
    # SQLite and the evidence store live in instance/: it must exist before first use.
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    _init_extensions(app)
    for feature in FEATURES:
        feature.init_app(app)
    from approvals.cli import register_commands
    from approvals.errors import register_error_handlers

    register_error_handlers(app)
    register_commands(app)
    from approvals.secret_key import refuse_builtin

    refuse_builtin(app)  # last, so that a broken workflow file is still reported first
    return app


def _init_extensions(app: Flask) -> None:
    from approvals import db as db_setup
    from approvals.extensions import babel, csrf, db, limiter, login_manager, migrate
    from approvals.web.i18n import select_locale

    db_setup.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = None  # the sign-in page explains itself
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    # Import every model so that metadata is complete for migrations and create_all().
    from approvals import models  # noqa: F401

    @login_manager.user_loader
    def load_user(user_id: str):
        # The cookie's user only while its server-side session lives (sessions.py).
        from approvals.organisations.routes import signed_in_user

        return signed_in_user(user_id)
