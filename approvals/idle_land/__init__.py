"""Idle industrial land (闲置工业用地处置), the third workflow (workflows/idle_land): a
township's report of a parcel, the on-site verification, the city government's
confirmation, two three-month periods to rectify, the idle fee and the repossession.

A case is a Claim on its own workflow under the land bureau's clause, with its parcel in
`idle_land_parcels`. The claim's enterprise is the township that reports the parcel (its
申报单位, as on the department/township track), not the land user: the claim's enterprise
sees, changes and takes the claimant's moves on it (approvals/access/rules.py, one rule per
role), so a land user there could withdraw the township's report, and the township, another
organisation of the same role, could neither see nor report it. The land user is the
parcel's owner, and the notices to rectify, of the fee and of the repossession are
addressed to it (notice.py).
"""


def init_app(app) -> None:
    """The criteria guard, the fee and notice effects, the load-time check, the pages and
    the demo command."""
    from approvals.idle_land import criteria, guards, models, notice, routes  # noqa: F401
    from approvals.workflow.registry import catalog

    criteria.rules()  # a broken criteria file stops the start, as a broken workflow does
    cat = catalog(app)
    guards.register(cat)
    cat.effect(notice.NOTICE_EFFECT, notice.add_to_notice)
    cat.effect(notice.FEE_EFFECT, notice.charge_fee, stage="claim")
    cat.checks.append(notice.check_spec)
    app.register_blueprint(routes.bp)
    from approvals.idle_land.commands import seed_idle_land_command

    app.cli.add_command(seed_idle_land_command)
