"""The builder behind `make_claim`: a claim in any state of its workflow, written row by row.

No journey through the API or `advance()`: the claim row, one audit event per move of the
shortest way from the workflow's initial state to the state asked for (sealed by the hash
chain like any other event), and what those moves leave behind: the offices the claim
reached, its deadline, the amounts, the frozen payee, the ledger entries of a reservation
or payment (through approvals.finance.ledger), the recovery case, and the review tasks of
the state it is placed in, when that state declares some: one open round, opened by the
runtime's own code (approvals/workflow/rounds.py). Not written: notices (the claim has
none), the 申请认定表 that carried it to finance (the `send_form` fixture sends one), evidence
(no attachments), the rounds of task states on the way (the way there is not a journey
anyone decided), the one-live-claim-per-policy check (a test that needs two claims under one
policy gives each its own enterprise).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from approvals.claims.models import Claim, ClaimEvent
from approvals.clock import LOCAL, current_time, local_today
from approvals.extensions import db
from approvals.finance import ledger, recovery
from approvals.finance.effects import MARKERS
from approvals.finance.models import REPAID, WAIVED
from approvals.money import fmt
from approvals.organisations.models import User
from approvals.organisations.profile import freeze_payee_at_payout
from approvals.policies.models import Policy
from approvals.recognition_forms.waiting import FORWARD
from approvals.workflow import rounds
from approvals.workflow.deadlines import due_at
from approvals.workflow.registry import workflows
from approvals.workflow.runtime import Step

# Tried in turn when no policy is given: the first under which the state can be reached
# (government_review only under a clause that needs the city government's approval).
DEFAULT_POLICIES = ("JMJ-PLAN", "JMJ-INFRA")
GOVERNMENT = "needs_government_approval"  # the condition that picks finance's branch
SUPPLEMENT_DAYS = 14  # a returned claim's 补正期限, from today


@dataclass(frozen=True)
class ClaimRef:
    """What a test needs of a made claim: its id, number, version (for transitions), state."""

    id: int
    number: str
    version: int
    state: str


def route(spec, state: str, needs_government: bool) -> list | None:
    """The moves of the shortest way from the initial state to `state` (breadth first, in
    file order), on the branch a policy with or without government approval takes."""

    def takes(transition) -> bool:
        if GOVERNMENT in transition.conditions:
            return needs_government
        if GOVERNMENT in transition.unless:
            return not needs_government
        return True

    ways = {spec.initial: []}
    todo = deque([spec.initial])
    while todo:
        here = todo.popleft()
        if here == state:
            return ways[here]
        for transition in spec.from_state(here):
            if transition.dest not in ways and takes(transition):
                ways[transition.dest] = ways[here] + [transition]
                todo.append(transition.dest)
    return None


def _policy_and_route(spec_of, state: str, code: str | None):
    for candidate in (code,) if code else DEFAULT_POLICIES:
        policy = db.session.scalar(select(Policy).filter_by(code=candidate))
        if policy is None:
            raise LookupError(f"make_claim: no policy {candidate!r} (is the demo seeded?)")
        spec = spec_of(policy.workflow)
        if state not in spec.states:
            raise LookupError(f"make_claim: workflow {spec.name} has no state {state!r}")
        moves = route(spec, state, policy.requires_government_approval)
        if moves is not None:
            return policy, spec, moves
    raise LookupError(f"make_claim: {state!r} cannot be reached under policy {code!r}")


def _user(**where) -> User:
    user = db.session.scalar(select(User).filter_by(**where).order_by(User.id))
    if user is None:
        raise LookupError(f"make_claim: no user with {where}")
    return user


def _actor(transition, claim: Claim) -> User:
    role = transition.roles[0]
    if role == "enterprise":
        return claim.created_by
    if role == "reviewer":
        return _user(role=role, department_id=claim.department_id)
    if role == "system":
        from approvals.claims.supplement import system_user

        return system_user()
    return _user(role=role)


def _values(transition, claim: Claim) -> dict:
    """What the move's form would carry: each field it requires, filled plausibly."""
    values = {}
    for name in transition.requires:
        if name == "comment":
            values[name] = "同意" if transition.dest != "returned" else "请补充证明材料"
        elif name == "approved_amount":
            values[name] = claim.approved_amount
        elif name == "supplement_days":
            values[name] = SUPPLEMENT_DAYS
        elif name == "payment_reference":
            values[name] = f"REF-{claim.id}"
        elif name in ("recovery_amount", "repayment_amount"):
            values[name] = claim.paid_amount
        else:
            raise LookupError(f"make_claim: cannot fill {name!r} of {transition.trigger!r}")
    return values


def _before_event(transition, claim: Claim, now) -> None:
    """What the move changes on the claim itself, before its event is written."""
    if "approved_amount" in transition.requires and claim.approved_amount is None:
        claim.approved_amount = claim.requested_amount
    if "payment_reference" in transition.requires:
        claim.payment_reference = f"REF-{claim.id}"
    if "supplement_days" in transition.requires:
        claim.supplement_due = local_today() + timedelta(days=SUPPLEMENT_DAYS)
    if "supplement_overdue" in transition.conditions:
        claim.supplement_due = local_today() - timedelta(days=1)
    if "claim.submitted" in transition.effects:
        claim.submitted_at, claim.supplement_due = now, None
    if "payee.freeze" in transition.effects:
        freeze_payee_at_payout(claim)


def _after_event(transition, claim: Claim, event: ClaimEvent) -> None:
    """The rows that point at the event: ledger entries and the recovery case."""
    for effect in transition.effects:
        if effect == "budget.reserve":
            ledger.reserve(claim, event)
        elif effect == "budget.release":
            ledger.release_held(claim, event, f"{transition.label.zh}，释放占用")
        elif effect == "budget.pay":
            ledger.pay(claim, event)
        elif effect == "recovery.open":
            recovery.open_case(claim, event, claim.paid_amount)
        elif effect == "recovery.close":
            recovery.receive_repayment(claim, event, recovery.outstanding_for(claim.id))
            recovery.close_case(claim, event, REPAID)
        elif effect == "recovery.waive":
            recovery.close_case(claim, event, WAIVED)
        elif effect not in ("claim.submitted", "payee.freeze", FORWARD, *MARKERS):
            # A new effect in the workflow: teach the factory what it leaves behind.
            raise LookupError(f"make_claim: unknown effect {effect!r} of {transition.trigger!r}")


def _move(spec, transition, claim: Claim, now) -> str:
    """Take `transition` on the claim's rows; returns the state it left."""
    source = claim.state
    _before_event(transition, claim, now)
    values = _values(transition, claim)
    dest = spec.states[transition.dest]
    claim.state = dest.name
    claim.reached_finance |= dest.queue == "finance"
    claim.reached_government |= dest.queue == "government"
    claim.due_at = due_at(dest.deadline, claim.policy.call_year)
    claim.decided_at = now if dest.final else None
    claim.updated_at = now
    event = ClaimEvent(
        claim_id=claim.id,
        trigger=transition.trigger,
        from_state=source,
        to_state=dest.name,
        actor_id=_actor(transition, claim).id,
        at=now,
        comment=values.pop("comment", None),
        payload={k: fmt(v) if isinstance(v, Decimal) else v for k, v in values.items()},
    )
    db.session.add(event)
    db.session.flush()
    _after_event(transition, claim, event)
    db.session.flush()
    return source


def _open_round(spec, transition, claim: Claim, source: str, now) -> None:
    """The review tasks of the state the last move entered, as the runtime opens them
    (none when that state declares no tasks); refused as the move would be when the claim's
    policy lists too few departments."""
    engine = workflows().get(spec.name, spec.version)
    today = now.astimezone(LOCAL).date()
    actor = _actor(transition, claim)
    rounds.open_for(Step(claim, actor, engine, transition, source, {}, now, today))
    db.session.flush()


def build_claim(state: str = "draft", **overrides) -> ClaimRef:
    """A claim of `enterprise` (a username, default ent_huadong) under `policy` (a code)
    in `state`; the other overrides set Claim columns (requested_amount, approved_amount,
    project_title, amount_inputs …). Needs an app context and the demo data."""
    enterprise = _user(username=overrides.pop("enterprise", "ent_huadong"), role="enterprise")
    policy, spec, moves = _policy_and_route(
        lambda name: workflows().get(name).spec, state, overrides.pop("policy", None)
    )
    now = current_time()
    values = {
        "project_title": "智能制造平台规划",
        "requested_amount": Decimal("120000.00"),
        **overrides,
    }
    for money in ("requested_amount", "approved_amount"):
        if values.get(money) is not None:
            values[money] = Decimal(str(values[money]))
    claim = Claim(
        workflow=spec.name,
        workflow_version=spec.version,
        policy=policy,
        department_id=policy.department_id,
        enterprise_id=enterprise.enterprise_id,
        created_by=enterprise,
        state=spec.initial,
        reached_finance=False,
        reached_government=False,
        created_at=now,
        updated_at=now,
        **values,
    )
    db.session.add(claim)
    db.session.flush()
    claim.number = f"{policy.call_year}-{policy.department.code}-{claim.id:06d}"
    for transition in moves:
        source = _move(spec, transition, claim, now)
    if moves:
        _open_round(spec, moves[-1], claim, source, now)
    db.session.commit()
    return ClaimRef(claim.id, claim.number, claim.version, claim.state)
