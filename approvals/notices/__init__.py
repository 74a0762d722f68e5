"""Official notices (通知书): numbered, rendered to PDF, stored once, verifiable."""


def init_app(app) -> None:
    """The notice kinds a workflow may name, `notice.issue`, and the verification pages."""
    from approvals.notices import issue
    from approvals.notices.facts import KIND_TITLES
    from approvals.notices.routes import bp
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    cat.notices.update(KIND_TITLES)
    cat.effect("notice.issue", issue.issue_for_step)
    app.register_blueprint(bp)
