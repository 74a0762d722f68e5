"""Reminders, escalation and supervision (督办, issue 15): around every deadline of an
official's step, a reminder 3 working days before it, the department head told when it
passes, and 3 working days after it 市府办's numbered 督办通知 to the office that must act,
listed on the supervision page."""


def init_app(app) -> None:
    """The three step timers on the catalog, the models, the supervision page."""
    from approvals.supervision import escalation, models  # noqa: F401  (the tables)
    from approvals.supervision.routes import bp
    from approvals.workflow.registry import catalog

    escalation.register(catalog(app))
    app.register_blueprint(bp)
