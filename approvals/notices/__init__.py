"""Official notices (通知书): numbered in the transition, rendered to PDF after it (the
outbox), stored once, verifiable."""


def init_app(app) -> None:
    """The notice kinds a workflow may name, `notice.issue`, the claim page's list of
    notices, the notice files and the verification pages."""
    from approvals.claims import panels
    from approvals.db import on_commit
    from approvals.notices import issue, outbox
    from approvals.notices.facts import KIND_TITLES
    from approvals.notices.queries import notices_for
    from approvals.notices.routes import bp
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    cat.notices.update(KIND_TITLES)
    cat.effect("notice.issue", issue.issue_for_step)
    panels.register(app, "notices", lambda actor, claim: notices_for(claim.id))
    app.register_blueprint(bp)
    on_commit(app, outbox.render_recorded, outbox.forget_recorded)
    from approvals.jobs import register_job

    register_job(app, outbox.RENDER_JOB, outbox.render_ids)
    from approvals.notices.commands import render_pending_command

    app.cli.add_command(render_pending_command)
