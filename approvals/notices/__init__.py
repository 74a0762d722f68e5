"""Official notices (通知书): numbered, rendered to PDF, stored once, verifiable."""


def init_app(app) -> None:
    """The notice kinds a workflow may name, `notice.issue`, the claim page's list of
    notices, the notice files and the verification pages."""
    from approvals.claims import panels
    from approvals.notices import issue
    from approvals.notices.facts import KIND_TITLES
    from approvals.notices.queries import notices_for
    from approvals.notices.routes import bp
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    cat.notices.update(KIND_TITLES)
    cat.effect("notice.issue", issue.issue_for_step)
    panels.register(app, "notices", lambda actor, claim: notices_for(claim.id))
    app.register_blueprint(bp)
