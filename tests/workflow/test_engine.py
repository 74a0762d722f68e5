"""The engine: one machine per workflow, records bound per call, no back doors."""

from datetime import date
from types import SimpleNamespace

import pytest

from approvals.config import REPO_ROOT
from approvals.workflow.engine import GuardFailed, IllegalTransition
from approvals.workflow.guards import GuardContext
from approvals.workflow.registry import load_file
from tests.workflow.catalog import shipped_catalog

ENGINE = load_file(REPO_ROOT / "workflows" / "enterprise_claim" / "v1.toml", shipped_catalog())
TODAY = GuardContext(today=date(2026, 12, 1))


class FakePolicy:
    def __init__(self, *, gov=False, required=("business_licence",)):
        self.requires_government_approval = gov
        self.required_evidence = list(required)
        self.window_open, self.window_close = date(2026, 11, 1), date(2026, 12, 31)

    def window_is_open(self, today):
        return self.window_open <= today <= self.window_close

    def missing_evidence(self, kinds):
        return [k for k in self.required_evidence if k not in kinds]


def record(state, *, gov=False, kinds=("business_licence",)):
    policy = FakePolicy(gov=gov)
    return SimpleNamespace(
        state=state,
        policy=policy,
        terms=policy,  # a claim reads its clause's terms as filed; here the clause itself
        attachments=[SimpleNamespace(kind=k) for k in kinds],
        agent_id=None,  # filed by the enterprise itself, not by an agent (全程代办)
        agency_consent_at=None,
    )


def test_no_auto_transitions_back_door():
    claim = record("draft")
    ENGINE.fire(claim, "submit", TODAY)
    assert not hasattr(claim, "to_disbursed")
    assert "to_disbursed" not in ENGINE.machine.events


def test_fire_moves_the_record_and_releases_it():
    claim = record("draft")
    taken = ENGINE.fire(claim, "submit", TODAY)
    assert (taken.trigger, claim.state) == ("submit", "submitted")
    assert ENGINE.machine.models == []  # nothing kept alive between calls


def test_illegal_trigger_raises_illegal_transition():
    with pytest.raises(IllegalTransition):
        ENGINE.fire(record("draft"), "disburse", TODAY)


def test_failed_guard_says_what_is_missing_and_does_not_move():
    claim = record("draft", kinds=())
    with pytest.raises(GuardFailed) as err:
        ENGINE.fire(claim, "submit", TODAY)
    assert claim.state == "draft"
    assert "business_licence" in str(err.value)


def test_closed_window_refuses_submit():
    with pytest.raises(GuardFailed, match="不在申报期内"):
        ENGINE.fire(record("draft"), "submit", GuardContext(today=date(2027, 1, 5)))


@pytest.mark.parametrize(("gov", "dest"), [(True, "government_review"), (False, "approved")])
def test_finance_approve_branches_on_government_approval(gov, dest):
    claim = record("finance_review", gov=gov)
    ENGINE.fire(claim, "finance_approve", TODAY)
    assert claim.state == dest


def test_available_triggers_from_submitted():
    triggers = [t.trigger for t in ENGINE.triggers_from("submitted")]
    assert triggers == [
        "withdraw",
        "return_for_supplement",
        "transfer",
        "dept_approve",
        "dept_reject",
    ]
