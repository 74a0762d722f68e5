"""申请认定表: a department's summary of the claims it approved in a call year, signed by
its chain (经办 → 审核 → 审批) and sent to 市财政局（企业科） as one notice, which moves the
claims on to finance."""


def init_app(app) -> None:
    """The guard and effect of the forwarding move on the catalog; the pages and the API."""
    from approvals.extensions import csrf
    from approvals.recognition_forms import waiting
    from approvals.recognition_forms.api import bp as api_bp
    from approvals.recognition_forms.routes import bp
    from approvals.workflow.registry import catalog

    waiting.register(catalog(app))
    app.register_blueprint(bp)
    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by cookie
    app.register_blueprint(api_bp)
