"""Finance fixtures: claims driven through the one door to any state, quickly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from approvals.claims import services
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.finance.models import Budget
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.workflow import runtime
from tests.conftest import PDF_BYTES
from tests.recognition_forms.helpers import send_form
from tests.threads import at_once as run_at_once  # noqa: F401  (the finance races use it)

REVIEWERS = {"JMJ": "reviewer_jmj", "KJJ": "reviewer_kjj", "ZSJ": "reviewer_zsj"}
PATH = ["submitted", "recognised", "finance_review", "approved", "disbursed"]


def actor(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def fire(username: str, claim_id: int, trigger: str, **payload) -> Claim:
    claim = db.session.get(Claim, claim_id, populate_existing=True)
    return runtime.advance(actor(username), claim_id, trigger, version=claim.version, **payload)


@pytest.fixture
def fast_notices(monkeypatch):
    """Claim notices as stub bytes: these tests are about money, not about PDFs."""
    from approvals.notices import render

    monkeypatch.setattr(
        render, "render_notice", lambda facts: b"%PDF-stub " + facts.number.encode()
    )


@pytest.fixture
def claims(seeded, fast_notices, make_enterprise):
    """claims(n, to="approved", policy=…, amount=…, inputs=…) → claim ids in that state;
    past `recognised`, each sent to finance on its department's 申请认定表.

    The first claim under a policy is `ent`'s; the others come from new enterprises, since
    an enterprise holds one live claim per policy and year."""
    used = set()

    def claimant(ent: str, policy: str) -> str:
        if (ent, policy) in used:
            return make_enterprise()
        used.add((ent, policy))
        return ent

    def make(
        n=1, to="approved", policy="JMJ-PLAN", amount="1000.00", inputs=None, ent="ent_huadong"
    ):
        with seeded.app_context():
            pol = db.session.scalar(select(Policy).filter_by(code=policy))
            reviewer = REVIEWERS[pol.department.code]
            steps = [
                ("submitted", "by", "submit", {}),
                (
                    "recognised",
                    reviewer,
                    "dept_approve",
                    {"approved_amount": amount, "comment": "同意"},
                ),
                ("finance_review", None, "send_form", {}),  # the 申请认定表, one for all
                ("approved", "finance", "finance_approve", {"comment": "同意"}),
                ("disbursed", "finance", "disburse", {}),
            ][: PATH.index(to) + 1]
            by_claim = {}
            for i in range(n):
                by = claimant(ent, policy)
                claim = services.create_claim(actor(by), policy, f"项目{i + 1}", amount, inputs)
                for kind in pol.required_evidence:
                    services.add_attachment(actor(by), claim.id, PDF_BYTES, "证明.pdf", kind)
                by_claim[claim.id] = by
            # Step by step for all the claims: one department's form lists them all, as a
            # department sends it (one PDF, not one per claim).
            for reached, who, trigger, payload in steps:
                if who is None:
                    send_form(seeded, *by_claim)
                    continue
                for cid, by in by_claim.items():
                    if trigger == "disburse":
                        payload = {"payment_reference": f"REF-{cid}"}
                    fire(by if who == "by" else who, cid, trigger, **payload)
                    if reached == "approved" and pol.requires_government_approval:
                        fire("gov", cid, "gov_approve", comment="同意")
        return list(by_claim)

    return make


def set_budget(app, policy: str, amount: str) -> None:
    with app.app_context():
        pol = db.session.scalar(select(Policy).filter_by(code=policy))
        budget = db.session.scalar(select(Budget).filter_by(policy_id=pol.id, year=pol.call_year))
        budget.amount = Decimal(amount)
        db.session.commit()


def budget_of(app, policy: str) -> Budget:
    with app.app_context():
        pol = db.session.scalar(select(Policy).filter_by(code=policy))
        budget = db.session.scalar(select(Budget).filter_by(policy_id=pol.id, year=pol.call_year))
        db.session.expunge(budget)
        return budget


def signed_in(app, username: str, *, csrf: bool = False):
    """A test client signed in as `username` through a real server-side session, without
    going through the sign-in form (CSRF off unless asked for)."""
    from approvals.organisations import sessions
    from approvals.organisations.routes import SESSION_KEY

    app.config["WTF_CSRF_ENABLED"] = csrf
    client = app.test_client()
    with app.app_context():
        user = actor(username)
        user_id, token = user.id, sessions.start(user, "web")
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session[SESSION_KEY] = token
    return client


def reconciles(app) -> None:
    from approvals.finance.reconcile import check

    with app.app_context():
        report = check()
    assert report.problems == []
