"""Claims (申报): what enterprises file and officials decide, through the workflow engine."""


def init_app(app) -> None:
    """The claims' guards, fields and effects on the catalog, the runtime's hooks for claims,
    and the claim pages."""
    from approvals.access import can_fire, can_view, sees_only_own
    from approvals.claims import (  # noqa: F401  (agency_routes: its routes are on bp)
        agency_routes,
        candidates,
        fields,
        guards,
        history,
        reward_routes,
        step_clock,
        transfer,
    )
    from approvals.claims.delegation_routes import bp as delegations_bp
    from approvals.claims.routes import bp
    from approvals.claims.task_routes import decide_task  # noqa: F401  (its route is on bp)
    from approvals.workflow.registry import Subjects, catalog

    cat = catalog(app)
    guards.register(cat)
    fields.register(cat)
    candidates.register(cat)
    transfer.register(cat)
    step_clock.register(cat)
    cat.effect("claim.submitted", history.mark_submitted, stage="claim")
    cat.subjects = Subjects(
        load=history.load_for_move,
        can_view=can_view,
        can_fire=can_fire,
        arrive=history.arrive,
        record=history.record,
        sees_only_own=sees_only_own,
        signoff_threshold=lambda claim: claim.terms.signoff_threshold,
    )
    # Identity numbers of the people a claim rewards are shown masked, on every page.
    app.add_template_filter(reward_routes.mask_id_number, "id_masked")
    app.register_blueprint(bp)
    app.register_blueprint(delegations_bp)  # 委派: whom the officials' review tasks answer to
