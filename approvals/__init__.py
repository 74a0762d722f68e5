"""Approvals: a workflow engine and web application for policy subsidy redemption (政策兑现)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from approvals.config import REPO_ROOT, from_environment


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
    from approvals.web import security

    security.init_app(app)
    from approvals import input as request_input

    request_input.init_app(app)  # before the blueprints: it replaces the `int` converter
    _load_workflows(app)
    _register_blueprints(app)
    from approvals.cli import register_commands
    from approvals.errors import register_error_handlers

    register_error_handlers(app)
    register_commands(app)
    from approvals.secret_key import refuse_builtin

    refuse_builtin(app)  # last, so that a broken workflow file is still reported first
    return app


def _init_extensions(app: Flask) -> None:
    from approvals.extensions import babel, csrf, db, limiter, login_manager, migrate
    from approvals.web.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.signin"
    login_manager.login_message = None  # the sign-in page explains itself
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    # Import every model so that metadata is complete for migrations and create_all().
    from approvals import audit, models  # noqa: F401

    audit.init_app(app)  # the record's guards and hash chains, and `flask check-audit`

    @login_manager.user_loader
    def load_user(user_id: str):
        # The cookie's user only while its server-side session lives (sessions.py).
        from approvals.organisations.routes import signed_in_user

        return signed_in_user(user_id)


def _load_workflows(app: Flask) -> None:
    from approvals.claims.decisions import REQUIRED_FIELDS
    from approvals.notices.facts import KIND_TITLES
    from approvals.organisations.models import ROLES
    from approvals.workflow.registry import load_all

    app.extensions["approvals.workflows"] = load_all(
        app.config["WORKFLOWS_DIR"], roles=ROLES, notices=KIND_TITLES, fields=REQUIRED_FIELDS
    )


def _register_blueprints(app: Flask) -> None:
    from approvals.api import bp as api_bp
    from approvals.claims.routes import bp as claims_bp
    from approvals.extensions import csrf
    from approvals.finance import bp as finance_bp
    from approvals.notices.routes import bp as notices_bp
    from approvals.organisations.routes import bp as auth_bp
    from approvals.web import bp as web_bp

    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by cookie
    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(claims_bp)
    app.register_blueprint(notices_bp)
    app.register_blueprint(finance_bp)
