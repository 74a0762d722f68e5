"""Two last signatures at the same moment move the claim once (PostgreSQL, threads): the
claim's row is locked before the round is counted, so the second decision counts the first."""

from __future__ import annotations

import pytest

from approvals.audit.check import AuditReport, check_claims
from approvals.claims.models import Claim, ClaimEvent
from approvals.errors import Conflict
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow import tasks
from approvals.workflow.models import ReviewTask
from tests.tasks.conftest import decide_as
from tests.threads import at_once

# Threads, each with its own connection: the rows must be committed for them to meet.
pytestmark = [
    pytest.mark.parametrize(
        "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
    ),
    pytest.mark.committed,
]


def _open_tasks(app, claim_id: int) -> dict[str, tuple[int, int]]:
    """Department code → (task id, version) of the claim's undecided tasks."""
    with app.app_context():
        rows = db.session.scalars(db.select(ReviewTask).filter_by(claim_id=claim_id, status="open"))
        return {t.department.code: (t.id, t.version) for t in rows}


def _decision(username: str, task_id: int, version: int, decision: str = "agree"):
    def run():
        actor = db.session.scalar(db.select(User).filter_by(username=username))
        return tasks.decide(actor, task_id, decision, "同意", version=version).status

    return run


def _outcome(app, claim_id: int) -> tuple[str, list[str], list[str]]:
    """(claim state, triggers of its events, statuses of its tasks)."""
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        events = db.session.scalars(
            db.select(ClaimEvent.trigger).filter_by(claim_id=claim_id).order_by(ClaimEvent.id)
        )
        statuses = db.session.scalars(
            db.select(ReviewTask.status).filter_by(claim_id=claim_id).order_by(ReviewTask.id)
        )
        report = AuditReport()
        check_claims(report, [claim_id])
        assert report.ok, report.breaks
        return claim.state, list(events), sorted(statuses)


def test_two_last_signatures_at_once_move_the_claim_once(seeded, api, file_joint):
    for enterprise in ("ent_huadong", "ent_jiangnan", "ent_jiahe"):
        claim_id = file_joint(enterprise=enterprise)
        assert decide_as(api, "reviewer_jmj", claim_id).status_code == 200
        last = _open_tasks(seeded, claim_id)
        results = at_once(
            seeded,
            [
                _decision("reviewer_zsj", *last["ZSJ"]),
                _decision("reviewer_czj", *last["CZJ"]),
            ],
        )
        assert results == ["done", "done"], results
        state, events, statuses = _outcome(seeded, claim_id)
        decided = ["task_decision"] * 3
        assert (state, events) == ("finance_review", ["submit", *decided, "joint_approve"])
        assert statuses == ["done"] * 3


def test_one_task_decided_twice_at_once_is_decided_once(seeded, api, file_joint):
    claim_id = file_joint()
    for code in ("JMJ", "ZSJ"):
        assert decide_as(api, f"reviewer_{code.lower()}", claim_id).status_code == 200
    task_id, version = _open_tasks(seeded, claim_id)["CZJ"]
    results = at_once(
        seeded,
        [
            _decision("reviewer_czj", task_id, version),
            _decision("reviewer_czj", task_id, version, "disagree"),
        ],
    )
    assert sorted(map(str, results)).count("done") == 1, results
    [loser] = [r for r in results if isinstance(r, Conflict)]
    assert loser.code == "stale_version"
    state, events, _ = _outcome(seeded, claim_id)
    # submit, the three decisions and the move: the losing decision left no event.
    assert len(events) == 5 and state in ("finance_review", "returned")
