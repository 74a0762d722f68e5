"""The demo's 免申即享: 经贸局's proactive clause (`seed_reference`, inside the demo seed), and
its one offer waiting for ent_huadong (`seed_offer`, `flask seed-proactive`), imported as
reviewer_jmj would import it, through the same service and the one door."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from approvals.clock import local_today
from approvals.extensions import db
from approvals.finance.models import Budget
from approvals.organisations.models import Enterprise, User
from approvals.policies.models import Policy
from approvals.proactive.importing import import_list
from approvals.proactive.models import ProactiveOffer

CLAUSE = "JMJ-PROACTIVE"
IMPORTER = "reviewer_jmj"
ENTERPRISE = "ent_huadong"
BUDGET = Decimal("2000000")  # 专项资金: twenty awards
FACT = "2026年度新认定为省级专精特新中小企业"


def seed_reference(departments: dict) -> None:
    """经贸局's proactive clause, once; inside the demo seed's transaction."""
    if db.session.scalar(select(Policy).filter_by(code=CLAUSE)) is not None:
        return
    today = local_today()
    opened = today - timedelta(days=30)
    policy = Policy(
        code=CLAUSE,
        title_zh="专精特新中小企业认定奖励",
        title_en="Award for newly recognised specialised SMEs",
        description="对新认定的省级专精特新中小企业给予一次性奖励，免申即享。",
        department=departments["JMJ"],
        funding_type="award",
        cap=Decimal("100000"),
        call_year=opened.year,
        window_open=opened,
        window_close=today + timedelta(days=60),
        amount_rule={"type": "fixed", "amount": "100000"},
        basis_title="关于推进工业提升发展的若干政策意见（试行）",
        basis_number="市委发〔2026〕40号",
        basis_clause="第十二条",
        proactive=True,
        offer_days=20,
    )
    db.session.add(policy)
    db.session.flush()
    db.session.add(Budget(policy_id=policy.id, year=policy.call_year, amount=BUDGET))


def seed_offer() -> str:
    """The clause's offer to ent_huadong, unless one was made; what was done, in words."""
    policy = db.session.scalar(select(Policy).filter_by(code=CLAUSE))
    importer = db.session.scalar(select(User).filter_by(username=IMPORTER))
    user = db.session.scalar(select(User).filter_by(username=ENTERPRISE))
    if policy is None or importer is None or user is None:
        return "run `flask seed-demo` first"
    enterprise: Enterprise = user.enterprise
    made = db.session.scalar(select(ProactiveOffer).filter_by(policy_id=policy.id))
    if made is not None:
        return f"{CLAUSE}: an offer exists already ({made.claim.number})"
    header = "统一社会信用代码,企业名称,符合条件事实"
    rows = f"{header}\n{enterprise.credit_code},{enterprise.name},{FACT}\n"
    done = import_list(importer, CLAUSE, "demo.csv", rows.encode())
    return f"{CLAUSE}: {done.offered} offer(s) made, {len(done.rejected)} row(s) rejected"


@click.command("seed-proactive")
@with_appcontext
def seed_proactive_command() -> None:
    """The demo's 免申即享 offer to ent_huadong, waiting for its confirmation (idempotent)."""
    click.echo(seed_offer())
