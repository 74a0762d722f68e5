"""Departments, enterprises, users and their roles."""


def init_app(app) -> None:
    """The roles a workflow may name, `payee.freeze`, and sign-in, sign-up and accounts."""
    from approvals.access.roles import ROLES

    # The page modules attach their routes to `bp`: user management and 企业信息 beside
    # sign-in and accounts (routes).
    from approvals.organisations import admin_routes, profile, profile_page  # noqa: F401
    from approvals.organisations.routes import bp
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    cat.roles.update(ROLES)
    # Stage "claim": the event's snapshot, the ledger and the notice name the frozen account.
    cat.effect(
        "payee.freeze", lambda step: profile.freeze_payee_at_payout(step.subject), stage="claim"
    )
    app.register_blueprint(bp)
