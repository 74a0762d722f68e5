"""Publicity fixtures: a clause that requires publicity, and claims approved under it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from approvals.claims import services
from approvals.extensions import db
from approvals.policies.models import Policy
from tests.conftest import PDF_BYTES
from tests.finance.conftest import actor, fire
from tests.recognition_forms.helpers import send_form

POLICY = "JMJ-PLAN"  # 经贸局's clause, paid by finance directly
DAYS = 5


def beijing(when: str) -> datetime:
    """An aware UTC moment from a Beijing wall-clock time (ISO)."""
    return datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def at(app, when: str) -> datetime:
    """Stop the app's clock at Beijing time `when`; the moment, for the services' `now=`."""
    moment = beijing(when)
    app.config["CLOCK"] = lambda: moment
    return moment


@pytest.fixture
def approved(seeded, make_enterprise):
    """approved(n, days=5) → the ids of n claims under JMJ-PLAN approved by finance, each
    from its own enterprise, the clause requiring `days` working days of publicity (None:
    none), filed today on the system clock, in the clause's open window."""

    def make(n: int = 2, days: int | None = DAYS, amount: str = "1000.00") -> list[int]:
        with seeded.app_context():
            policy = db.session.scalar(select(Policy).filter_by(code=POLICY))
            policy.publicity_days = days  # a new version of the terms: new claims take it
            db.session.commit()
            ids = []
            for i in range(n):
                owner = actor(make_enterprise())
                claim = services.create_claim(owner, POLICY, f"公示项目{i + 1}", amount)
                for kind in policy.required_evidence:
                    services.add_attachment(owner, claim.id, PDF_BYTES, "证明.pdf", kind)
                fire(owner.username, claim.id, "submit")
                fire("reviewer_jmj", claim.id, "dept_approve", approved_amount=amount,
                     comment="同意")  # fmt: skip
                ids.append(claim.id)
            send_form(seeded, *ids)
            for claim_id in ids:
                fire("finance", claim_id, "finance_approve", comment="同意")
        return ids

    return make
