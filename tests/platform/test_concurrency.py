"""The joint review's two last signatures given at the same moment move the claim once
(PostgreSQL, threads): one move, one reservation, one notice of the joint opinion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from approvals.audit.check import AuditReport, check_claims
from approvals.claims.models import Claim, ClaimEvent
from approvals.extensions import db
from approvals.finance.models import LedgerEntry
from approvals.finance.reconcile import check
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.workflow import tasks
from approvals.workflow.models import ReviewTask
from tests.platform.conftest import PLATFORM, REVIEWER
from tests.threads import at_once

pytestmark = [
    pytest.mark.parametrize(
        "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
    ),
    pytest.mark.committed,
]


def _open(app, claim_id: int) -> dict[str, tuple[int, int]]:
    with app.app_context():
        rows = db.session.scalars(db.select(ReviewTask).filter_by(claim_id=claim_id, status="open"))
        return {t.department.code: (t.id, t.version) for t in rows}


def _sign(code: str, task_id: int, version: int):
    def run():
        actor = db.session.scalar(select(User).filter_by(username=REVIEWER[code]))
        return tasks.decide(actor, task_id, "agree", "同意", version=version).status

    return run


def test_the_two_last_signatures_at_once_move_the_claim_once(seeded, track):
    for policy, claimant in (("PT2-PLAN", PLATFORM), ("PT1-INFRA", PLATFORM)):
        claim_id = track.to_joint_review(policy, claimant)
        track.joint(claim_id, "JMJ")
        last = _open(seeded, claim_id)
        assert at_once(seeded, [_sign("ZSJ", *last["ZSJ"]), _sign("CZJ", *last["CZJ"])]) == [
            "done",
            "done",
        ]
        with seeded.app_context():
            claim = db.session.get(Claim, claim_id)
            moves = db.session.scalars(
                select(ClaimEvent.trigger).where(
                    ClaimEvent.claim_id == claim_id, ClaimEvent.from_state != ClaimEvent.to_state
                )
            ).all()
            assert moves == ["submit", "lead_approve", "joint_approve"]
            assert claim.state == ("approved" if policy == "PT2-PLAN" else "government_review")
            opinions = db.session.scalar(
                select(func.count()).where(
                    Notice.claim_id == claim_id, Notice.kind == "joint_opinion"
                )
            )
            assert opinions == 1
            reserved = db.session.scalar(
                select(func.count()).where(LedgerEntry.claim_id == claim_id)
            )
            assert reserved == (1 if policy == "PT2-PLAN" else 0)
            report = AuditReport()
            check_claims(report, [claim_id])
            assert report.ok, report.breaks
            assert check().problems == []
