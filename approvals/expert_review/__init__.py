"""Expert review (专家评审) and 择优立项 for special-fund clauses (workflows/special_fund)."""


def init_app(app) -> None:
    """The review's guards and move markers, the notice kinds of its result, its pages and
    its API."""
    from approvals.expert_review import api, ranking, routes, scoring, stages
    from approvals.extensions import csrf
    from approvals.workflow.registry import catalog

    cat = catalog(app)
    stages.register(cat)
    scoring.register(cat)
    ranking.register(cat)
    csrf.exempt(api.bp)  # the API authenticates by bearer token only, never by cookie
    app.register_blueprint(api.bp)
    app.register_blueprint(routes.bp)
