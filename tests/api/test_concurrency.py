"""Two people at once: one wins, the other is told; notice numbers stay gapless."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from approvals.errors import Conflict
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.threads import at_once

# Threads, each with its own connection: the rows must be committed for them to meet.
pytestmark = [
    pytest.mark.parametrize("backend", ["postgresql"], indirect=True),
    pytest.mark.committed,
]


def _actor(username):
    return db.session.scalar(db.select(User).filter_by(username=username))


def test_two_reviewers_deciding_at_once_one_wins(seeded, api, submitted_claim):
    version = api("reviewer_jmj").claim(submitted_claim).json["version"]

    def approve():
        return runtime.advance(
            _actor("reviewer_jmj"),
            submitted_claim,
            "dept_approve",
            version=version,
            approved_amount="1000",
            comment="同意",
        ).state

    def reject():
        return runtime.advance(
            _actor("reviewer_jmj"),
            submitted_claim,
            "dept_reject",
            version=version,
            comment="不同意",
        ).state

    results = at_once(seeded, [approve, reject])
    winners = [r for r in results if isinstance(r, str)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code == "stale_version"
    claim = api("admin").claim(submitted_claim).json
    assert claim["state"] == winners[0]
    assert len(claim["history"]) == 2 and len(claim["notices"]) == 2


def test_notice_numbers_have_no_gaps_or_duplicates_under_concurrency(seeded, api, make_enterprise):
    ids = []
    for i in range(12):  # one claim per enterprise and policy: twelve enterprises
        username = make_enterprise()
        ent = api(username)
        claim = ent.create_claim("JMJ-PLAN", "1000.00", f"项目{i}")
        ent.attach(claim["id"], "business_licence")
        ent.attach(claim["id"], "project_plan")
        version = ent.claim(claim["id"]).json["version"]  # each upload changed it
        ids.append((username, claim["id"], version))

    def submit(username, cid, version):
        return lambda: runtime.advance(_actor(username), cid, "submit", version=version).state

    results = at_once(seeded, [submit(*claim) for claim in ids])
    assert results == ["submitted"] * len(ids), results
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year
    with seeded.app_context():
        numbers = db.session.scalars(db.select(Notice.seq).filter_by(year=year)).all()
    assert sorted(numbers) == list(range(1, len(ids) + 1))
