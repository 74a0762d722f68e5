"""Every clause of the demo has a department reviewer who can take its 初审."""

from sqlalchemy import select

from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy


def test_every_clauses_department_has_a_reviewer(seeded):
    with seeded.app_context():
        owners = {p.department_id for p in db.session.scalars(select(Policy))}
        reviewed = set(db.session.scalars(select(User.department_id).filter_by(role="reviewer")))
    assert owners <= reviewed


def test_a_claim_under_the_finance_bureaus_own_clause_is_reviewed_by_its_reviewer(api):
    """CZJ-MERGER belongs to 财政局: its 初审 is reviewer_czj's, then finance re-reviews."""
    ent = api("ent_huadong")
    claim = ent.create_claim("CZJ-MERGER", amount="300000.00", title="并购重组项目")
    for kind in ("business_licence", "financial_statement"):
        assert ent.attach(claim["id"], kind).status_code == 201
    assert ent.fire(claim["id"], "submit").status_code == 200
    reviewer = api("reviewer_czj")
    assert reviewer.get(f"/api/v1/claims/{claim['id']}").status_code == 200
    res = reviewer.fire(claim["id"], "dept_approve", approved_amount="300000.00", comment="同意")
    assert res.status_code == 200, res.json
    assert res.json["state"] == "recognised"  # until 财政局's own 申请认定表 is sent
