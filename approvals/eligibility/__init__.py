"""Eligibility as data (资格条件), the enterprise's profile facts (一企一档), the policy
calculator (政策计算器) and the matching that tells enterprises when a clause that fits them
opens."""

from flask import Blueprint

bp = Blueprint("eligibility", __name__)


def init_app(app) -> None:
    from approvals.eligibility import matching, models, routes  # noqa: F401
    from approvals.eligibility.conditions import clean, describe
    from approvals.policies import terms_input
    from approvals.workflow.registry import catalog

    matching.register(catalog(app))
    terms_input.CHECKED_ELSEWHERE["eligibility"] = clean  # a term of the clause, checked here
    app.register_blueprint(bp)

    @app.context_processor
    def eligibility_helpers() -> dict:
        # A clause's conditions in words, for any page about the clause (申兑指南, the form).
        from approvals.clock import local_today

        return {"eligibility_text": lambda policy: describe(policy.eligibility, local_today())}
