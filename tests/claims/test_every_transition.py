"""Every move of every workflow can be taken from the claim page.

For each loaded workflow, each transition, each of its source states and each person's role
allowed to take it: a claim is driven to that state through the one door, the person signs
in through the web and opens the claim page, which offers the move's button and exactly one
input per field the move requires; posting valid values (and confirming, where the workflow
marks the move `confirm`) takes the move. A move a state's review tasks fire is taken by
deciding them: the others through the task door, the last (or the first disagreement) from
the claim page's task form. One app per backend serves every case; each case files its own
claim, from a claimant of its own, of a type the clause admits.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser

from flask import current_app
from sqlalchemy import select

from approvals.access import can_decide, can_fire, can_view
from approvals.claims import agency, services
from approvals.claims.models import Claim
from approvals.clock import LOCAL, current_time
from approvals.expert_review import stages
from approvals.extensions import db
from approvals.finance import batches
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.recognition_forms.waiting import FORWARD
from approvals.workflow import rounds, runtime, tasks
from approvals.workflow.guards import GuardContext
from approvals.workflow.models import ReviewTask
from approvals.workflow.registry import engine_for, workflows
from tests.conftest import PDF_BYTES
from tests.recognition_forms.helpers import send_form
from tests.web.conftest import WebClient

CONFIRM = "confirm"  # the marker of a move shown on a confirmation page before it is taken
SYSTEM = "system"  # the timed moves (`flask tick`): no person, no page
# Clauses of the demo to file under, tried in turn until a move's branch holds: one that
# finance decides alone, one that goes to the city government after finance.
POLICIES = ("JMJ-PLAN", "JMJ-INFRA")
# The department/township track's: paid directly, after the government, and a recognition.
CLAUSES = {
    "platform_claim": ("PT2-PLAN", "PT1-INFRA", "PT4-TAXSHARE"),
    "special_fund": ("KJJ-RD",),  # 市科技局's clause with its own special-fund rules
}
# Moves a procedure of several claims takes, not one claim's page: the department's
# 申请认定表 (tests/recognition_forms) and the panel's scoring and the ranking (择优立项,
# tests/expert_review). The states reached only through them are tried there, and their
# payout in tests/finance/test_every_workflow.py.
PROCEDURES = (FORWARD, *stages.MARKERS)
AMOUNT = "1000.00"
# A valid value for each field a move may require, where the page does not offer one.
VALID = {
    "comment": "经审核，意见如下：同意。",
    "approved_amount": AMOUNT,
    "payment_reference": "ZF-2026-0001",
    "supplement_days": "10",
    "recovery_amount": "400.00",
    "repayment_amount": "400.00",
    "transfer_to": "KJJ",  # 市科技局, which has reviewers; the clauses are 经贸局's
    "recognised_share": "30",
    "share_from": "2027-01-01",
    "share_until": "2031-12-31",
}
OWNER = "enterprise"  # whose claims they are: an official takes its moves only as its agent
# A recovery closes as recovered only when nothing is owed: the repayment is recorded first.
BEFORE = {"close_recovery": ("record_repayment",)}


# The page, read as a browser reads it ---------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: action, id, named controls (tag, type, name, value), buttons."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self._textarea: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "id": a.get("id"), "controls": []})
        elif not self.forms or "name" not in a:
            return
        elif tag == "button":
            self.forms[-1]["controls"].append(("button", a.get("type"), a["name"], a.get("value")))
        elif tag in ("input", "select"):
            control = (tag, a.get("type", "text"), a["name"], a.get("value") or "")
            self.forms[-1]["controls"].append(control)
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # As a browser reads it: newlines normalised, the one after the tag dropped.
            text = self._textarea["text"].replace("\r\n", "\n").removeprefix("\n")
            self.forms[-1]["controls"].append(("textarea", None, self._textarea["name"], text))
            self._textarea = None

    def find(self, *, action: str | None = None, id: str | None = None) -> dict | None:
        return next(
            (f for f in self.forms if (action and f["action"] == action) or (id and f["id"] == id)),
            None,
        )


def problems(res) -> list[str]:
    """What a refused page says: field errors and flashed messages."""
    found = re.findall(
        r'class="(?:error|flash flash-\w+)"[^>]*>([^<]+)<', res.get_data(as_text=True)
    )
    return [res.status_code, *found]


def hidden(form: dict) -> dict[str, str]:
    return {n: v for tag, kind, n, v in form["controls"] if tag == "input" and kind == "hidden"}


def inputs_named(form: dict, name: str) -> list[tuple]:
    return [c for c in form["controls"] if c[2] == name and c[0] != "button" and c[1] != "hidden"]


def take_from_page(client: WebClient, claim_id: int, trigger: str, requires, confirm=False):
    """Open the claim page, post its decision form for `trigger` with a value in each
    required input (the page's own where it offers one), and confirm if `confirm`."""
    page = client.get(f"/claims/{claim_id}")
    assert page.status_code == 200
    form = Forms(page.get_data(as_text=True)).find(action=f"/claims/{claim_id}/act")
    assert form is not None, "no decision form on the claim page"
    buttons = [c for c in form["controls"] if c[0] == "button" and c[2] == "trigger"]
    assert trigger in [c[3] for c in buttons], f"no button for {trigger}"
    data = hidden(form) | {"trigger": trigger}
    for name in requires:
        found = inputs_named(form, name)
        assert len(found) == 1, f"{trigger}: {len(found)} inputs for '{name}'"
        data[name] = found[0][3] or VALID[name]
    res = client.post(f"/claims/{claim_id}/act", data, token=False)
    if confirm:  # what will be done is shown first, with what was typed; nothing yet done
        page = Forms(res.get_data(as_text=True)).find(id="confirm-form")
        assert res.status_code == 200 and page is not None, problems(res)
        assert all(hidden(page)[name] == data[name] for name in requires)
        res = client.post(f"/claims/{claim_id}/act", hidden(page) | {"confirmed": "1"}, token=False)
    return res


# Claims driven to a state through the one door -------------------------------------------


def people(t) -> tuple[str, ...]:
    return tuple(role for role in t.roles if role != SYSTEM)


def paths(spec) -> dict[str, list]:
    """The shortest run of moves people take from the initial state to each state."""
    found = {spec.initial: []}
    todo = deque([spec.initial])
    while todo:
        state = todo.popleft()
        for t in spec.from_state(state):
            by_hand = people(t) and not set(PROCEDURES) & set(t.effects) - {FORWARD}
            if by_hand and t.dest not in found:
                found[t.dest] = [*found[state], t]
                todo.append(t.dest)
    return found


def someone(claim, t, roles) -> User:
    """An account of one of `roles` that sees the claim and may take `t` on it."""
    users = db.session.scalars(select(User).where(User.role.in_(roles)).order_by(User.id))
    return next(u for u in users if can_view(u, claim) and can_fire(u, claim, t))


def fitting(claim, t):
    """`t`, or the move between the same states that fits the claim's kind (a recognition
    is given a share and a period where a payout is given an amount)."""
    engine, today = engine_for(claim), current_time().astimezone(LOCAL).date()
    moves = [x for x in engine.spec.from_state(claim.state) if x.dest == t.dest]
    return next((x for x in moves if not engine.explain(claim, x, GuardContext(today))), t)


def deciders(claim) -> list[tuple[ReviewTask, User]]:
    """The open tasks of the claim's round, each with an official who may decide it."""
    officials = db.session.scalars(select(User).order_by(User.id)).all()
    return [
        (task, next(u for u in officials if can_decide(u, task)))
        for task in claim.review_tasks
        if rounds.closed_reason(task, claim) is None
    ]


def fire(claim_id: int, t) -> Claim:
    """Take `t` through the one door; a move the state's review tasks fire, by deciding them
    (every task agrees, or the first disagrees)."""
    claim = db.session.get(Claim, claim_id, populate_existing=True)
    if FORWARD in t.effects:  # a move its department's 申请认定表 takes, once sent
        send_form(current_app, claim_id)
        return db.session.get(Claim, claim_id, populate_existing=True)
    rule = engine_for(claim).spec.tasks_of(claim.state)
    if rule is not None and t.trigger in rule.triggers:
        for task, who in deciders(claim):
            decision = "agree" if t.trigger == rule.on_complete else "disagree"
            tasks.decide(who, task.id, decision, VALID["comment"], version=task.version)
            if db.session.get(Claim, claim_id, populate_existing=True).state != claim.state:
                break
        return db.session.get(Claim, claim_id, populate_existing=True)
    t = fitting(claim, t)
    who = someone(claim, t, people(t))
    values = {name: VALID[name] for name in t.requires}
    return runtime.advance(who, claim_id, t.trigger, version=claim.version, **values)


def decide_from_page(app, claim_id: int, t, source: str) -> tuple:
    """The move `t` the state's tasks fire, taken by deciding its last task (or its first
    disagreement) from the claim page's task form: (the response, who decided)."""
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        rule = engine_for(claim).spec.tasks_of(source)
        open_tasks = deciders(claim)
        if t.trigger == rule.on_complete:
            for task, who in open_tasks[:-1]:
                tasks.decide(who, task.id, "agree", "同意", version=task.version)
        task, who = open_tasks[-1] if t.trigger == rule.on_complete else open_tasks[0]
        task_id, username = task.id, who.username
    client = WebClient(app.test_client())
    client.signin(username)
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    action = f"/claims/{claim_id}/tasks/{task_id}/decision"
    form = Forms(page).find(action=action)
    assert form is not None, "no decision form for the task on the claim page"
    decision = "agree" if t.trigger == rule.on_complete else "disagree"
    data = hidden(form) | {"decision": decision, "opinion": VALID["comment"]}
    return client.post(action, data, token=False), username


def filed(username: str, policy: str, on_behalf: bool = False) -> int:
    """A claim with its evidence; `on_behalf`: filed by a reviewer of the clause's department
    for the enterprise (全程代办), which has consented."""
    owner = db.session.scalar(select(User).filter_by(username=username))
    clause = db.session.scalar(select(Policy).filter_by(code=policy))
    if owner.enterprise.claimant_type not in clause.claimant_types:
        # A claimant the clause admits (申报主体): a township, a platform developer.
        owner.enterprise.claimant_type = clause.claimant_types[0]
        db.session.commit()
    amount = None if clause.is_recognition else AMOUNT  # a recognition asks for no amount
    if on_behalf:
        agent = db.session.scalar(
            select(User).where(User.role == "reviewer", User.department.has(code="JMJ"))
        )
        credit_code = owner.enterprise.credit_code
        claim = agency.file_on_behalf(agent, credit_code, policy, "代办的申报", AMOUNT)
        agency.consent(owner, claim.id)
    else:
        claim = services.create_claim(owner, policy, "每项操作都能在申报页办理", amount)
    for kind in claim.policy.required_evidence:
        services.add_attachment(owner, claim.id, PDF_BYTES, "证明.pdf", kind)
    return claim.id


def claim_for(app, engine, t, source: str, make_enterprise, on_behalf=False) -> int:
    """A claim in `source` on which `t`'s own branch holds, under the first clause that
    gets it there; a failure names what kept each clause from it."""
    path, why = paths(engine.spec)[source], {}
    for policy in CLAUSES.get(engine.spec.name, POLICIES):
        with app.app_context():
            claim_id = filed(make_enterprise(), policy, on_behalf)
            for step in path:
                reached = fire(claim_id, step).state
                if reached != step.dest:
                    why[policy] = f"{step.trigger} went to {reached}"
                    break
            else:
                for trigger in BEFORE.get(t.trigger, ()):
                    fire(claim_id, next(x for x in engine.spec.candidates(trigger, source)))
                claim = db.session.get(Claim, claim_id, populate_existing=True)
                today = current_time().astimezone(LOCAL).date()  # as advance() counts it
                why[policy] = engine.explain(claim, t, GuardContext(today=today))
                if not why[policy]:
                    return claim_id
    raise AssertionError(f"no clause brings a claim to {source} for {t.trigger}: {why}")


# Workflows whose cases are not filed as claims of an enterprise: each feature walks every
# move of its own from the pages (tests/idle_land/test_every_move.py: a township's report
# of a land parcel; tests/proactive: an offer a department's import made).
OWN_WALK = ("idle_land", "proactive_grant")


def cases():
    for engine in workflows().values():
        if engine.spec.name in OWN_WALK:
            continue
        for t in engine.spec.transitions:
            if set(PROCEDURES) & set(t.effects):
                continue
            for source in t.sources:
                if source not in paths(engine.spec):  # past a procedure's move
                    continue
                for role in people(t):
                    yield engine, t, source, role


def test_every_transition_works_from_the_claim_page(seeded, make_enterprise, subtests):
    with seeded.app_context():
        every = list(cases())
    assert every
    for engine, t, source, role in every:
        with subtests.test(
            f"{engine.spec.name} v{engine.spec.version}: {source} → {t.trigger} as {role}"
        ):
            # An official takes the enterprise's own move on a claim it files for it.
            on_behalf = role != OWNER and OWNER in t.roles
            claim_id = claim_for(seeded, engine, t, source, make_enterprise, on_behalf)
            if t.trigger in engine.spec.fired_by_tasks(source):  # by deciding its tasks
                res, username = decide_from_page(seeded, claim_id, t, source)
            else:
                with seeded.app_context():
                    claim = db.session.get(Claim, claim_id)
                    username = someone(claim, t, (role,)).username
                client = WebClient(seeded.test_client())
                client.signin(username)
                confirm = CONFIRM in t.effects
                res = take_from_page(client, claim_id, t.trigger, t.requires, confirm)
            assert res.status_code == 302, problems(res)
            with seeded.app_context():
                claim = db.session.get(Claim, claim_id)
                assert claim.state == t.dest
                assert claim.events[-1].trigger == t.trigger
                assert claim.events[-1].actor.username == username


def test_a_claim_in_a_payout_batch_is_paid_through_it_not_from_its_page(seeded, make_enterprise):
    with seeded.app_context():
        engine = next(e for e in workflows().values() if e.spec.with_effect("batch_only"))
    [disburse] = engine.spec.with_effect("batch_only")
    source = disburse.sources[0]
    claim_id = claim_for(seeded, engine, disburse, source, make_enterprise)
    with seeded.app_context():
        claim = db.session.get(Claim, claim_id)
        finance = someone(claim, disburse, people(disburse))
        batch_id = batches.compose(finance, [claim_id]).id
        username, version = finance.username, claim.version
    client = WebClient(seeded.test_client())
    client.signin(username)
    page = client.get(f"/claims/{claim_id}").get_data(as_text=True)
    form = Forms(page).find(action=f"/claims/{claim_id}/act")
    assert form is None or disburse.trigger not in [c[3] for c in form["controls"]]
    assert f'href="/finance/batches/{batch_id}"' in page
    # Posted anyway, it is not taken: the page is shown again, the claim where it was.
    res = client.act(claim_id, disburse.trigger, version, payment_reference="ZF-1")
    assert res.status_code == 200
    with seeded.app_context():
        assert db.session.get(Claim, claim_id).state == source
