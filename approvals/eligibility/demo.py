"""Demo eligibility: conditions on three demo clauses and the profile facts (一企一档) of two
demo enterprises, so that the calculator has something to say to each. Dates and years are
relative to the day of seeding, as the demo's windows are; filled where blank, so a second
run changes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select, update

from approvals.clock import local_today
from approvals.db import utcnow
from approvals.eligibility.matching import KIND
from approvals.eligibility.models import EnterpriseFacts, Qualification, YearFigures
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.workflow.models import Timer

CONDITIONS = {
    # 高新技术企业认定奖励: a valid 高新技术企业 certificate.
    "KJJ-HITECH": [{"kind": "qualification", "qualification": "high_tech"}],
    # “零土地”技术改造: manufacturing, at least 5 million yuan of investment last year.
    "JMJ-RENOVATION": [
        {"kind": "industry", "codes": ["C"]},
        {"kind": "figure", "figure": "investment", "min": "5000000.00"},
    ],
    # 科技型中小企业贷款贴息: a valid 科技型中小企业 record, not a large enterprise.
    "KJJ-LOAN": [
        {"kind": "qualification", "qualification": "tech_sme"},
        {"kind": "size", "sizes": ["medium", "small", "micro"]},
    ],
}

# username → (industry, size, years since establishment, qualifications, last year's figures);
# a qualification is (kind, number, days from today it began, days from today it ends).
PROFILES = {
    "ent_huadong": (
        "C3484",
        "medium",
        14,
        [("high_tech", "GR202433001234", -400, 700)],
        {"rd_spend": "4200000", "revenue": "98000000", "investment": "12000000"},
    ),
    # Its 科技型中小企业 record has lapsed: nearly qualifies for KJJ-LOAN, and says why.
    "ent_jiangnan": (
        "C2662",
        "small",
        5,
        [("tech_sme", "202533010500123", -582, -217)],
        {"rd_spend": "1800000", "revenue": "36000000", "investment": "4500000"},
    ),
}


def seed() -> None:
    """In the demo seed's transaction (approvals/demo.py)."""
    today = local_today()
    for code, conditions in CONDITIONS.items():
        policy = db.session.scalar(select(Policy).where(Policy.code == code))
        if policy is not None and not policy.eligibility:
            policy.eligibility = conditions
    db.session.flush()
    # The demo's clauses were open before its enterprises existed: nobody is told of them.
    db.session.execute(
        update(Timer)
        .where(Timer.kind == KIND, Timer.fired_at.is_(None))
        .values(fired_at=utcnow(), outcome="demo: seeded open, nobody told")
    )
    for username, (industry, size, age, held, figures) in PROFILES.items():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None or db.session.get(EnterpriseFacts, user.enterprise_id) is not None:
            continue
        db.session.add(
            EnterpriseFacts(
                enterprise_id=user.enterprise_id,
                industry_code=industry,
                size=size,
                established_on=today.replace(year=today.year - age, day=1),
            )
        )
        for kind, number, began, ends in held:
            db.session.add(
                Qualification(
                    enterprise_id=user.enterprise_id,
                    kind=kind,
                    certificate_number=number,
                    valid_from=today + timedelta(days=began),
                    valid_until=today + timedelta(days=ends),
                )
            )
        db.session.add(
            YearFigures(
                enterprise_id=user.enterprise_id,
                year=today.year - 1,
                **{name: Decimal(value) for name, value in figures.items()},
            )
        )
