"""Who may fire which trigger, derived from the workflow files: every transition of every
loaded workflow × every role (and a second actor of the same role elsewhere), the expected
answer worked out from the transition's roles and the scope rule, asserted against can_fire;
then the refusals again over HTTP, as the API gives them."""

from __future__ import annotations

import pytest

from approvals.access import can_fire
from approvals.access.roles import ROLE_LABELS
from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow.registry import engine_for
from tests.access.conftest import ACTORS, engines

# The moves bound to the actor's own claims, and why another's is refused: an enterprise
# acts on its own claims, a reviewer on its department's. The city offices, the
# administrator and the system are bound by the workflow's roles alone.
OWNER = {
    "enterprise": ("enterprise_id", "只能操作本企业的申报"),
    "reviewer": ("department_id", "该申报不属于本部门初审"),
}
# The moves of recovery that the hand-kept table (tests/api/test_permissions.py) leaves out.
RECOVERY = {"put_in_recovery", "record_repayment", "close_recovery", "write_off"}


# An official takes an enterprise's own moves (submitting) only on a claim it files for the
# enterprise, as its agent (全程代办); the placed claims have none.
AGENT_ONLY = "只有该申报的代办人可以代申报单位办理"


def expected(actor: User, claim: Claim, roles: tuple[str, ...]) -> tuple[bool, str]:
    if actor.role not in roles:
        return False, f"当前角色（{ROLE_LABELS[actor.role]}）无权执行此操作"
    if actor.role != "enterprise" and "enterprise" in roles:
        return (True, "") if claim.agent_id == actor.id else (False, AGENT_ONLY)
    if actor.role in OWNER:
        column, reason = OWNER[actor.role]
        if getattr(actor, column) != getattr(claim, column):
            return False, reason
    return True, ""


def transitions(app):
    """(workflow, transition, source) for every declaration and source state."""
    return [
        (engine.spec, t, source)
        for engine in engines(app)
        if engine.spec.name not in NOT_PLACED
        for t in engine.spec.transitions
        for source in t.sources
    ]


# A clause of each workflow, to place its claims under (经贸局's JMJ-PLAN otherwise).
CLAUSES = {
    "platform_claim": "PT2-PLAN",
    "special_fund": "KJJ-RD",  # 市科技局
    "idle_land": "GTJ-IDLE",  # 市国土局
}
# 免申即享's offers are made by a department's import under a clause that names another
# workflow for the claims enterprises file; tests/proactive takes each of their moves.
NOT_PLACED = ("proactive_grant",)


@pytest.fixture
def at_sources(seeded, place_claim) -> dict[tuple[str, str], int]:
    """A claim of 华东精密机械 under a 经贸局 clause of each workflow, in each source state of
    any of its transitions, having reached both city offices: (workflow, state) → claim id."""
    sources = {(spec.name, source) for spec, _, source in transitions(seeded)}
    return {
        (name, state): place_claim(
            state,
            policy=CLAUSES.get(name, "JMJ-PLAN"),
            reached_finance=True,
            reached_government=True,
        ).id
        for name, state in sorted(sources)
    }


def test_can_fire_answers_the_table_derived_from_the_workflows(seeded, actors, at_sources):
    rows, wrong, triggers = 0, [], set()
    with seeded.app_context():
        users = {name: db.session.get(User, user_id) for name, user_id in actors.items()}
        for spec, t, source in transitions(seeded):
            claim = db.session.get(Claim, at_sources[(spec.name, source)])
            triggers.add(t.trigger)
            for principal, actor in users.items():
                rows += 1
                decision = can_fire(actor, claim, t)
                want = expected(actor, claim, t.roles)
                if (decision.allowed, decision.reason) != want:
                    wrong.append(
                        f"{spec.name} {t.trigger} from {source} by {principal}: "
                        f"{decision} , expected {want}"
                    )
        every = {
            trigger
            for engine in engines(seeded)
            if engine.spec.name not in NOT_PLACED
            for trigger in engine.spec.triggers
        }
    print(f"trigger table: {rows} rows")
    assert not wrong, "\n".join(wrong)
    assert triggers == every
    assert triggers >= RECOVERY


def test_every_trigger_names_a_role_that_someone_holds(seeded):
    for spec, t, _ in transitions(seeded):
        assert set(t.roles) <= set(ACTORS.values()), (spec.name, t.trigger)


# Over HTTP: the demo accounts that sign in, refused where the table refuses them ------------

SIGNS_IN = (
    "ent_huadong",
    "ent_jiangnan",
    "reviewer_jmj",
    "reviewer_kjj",
    "finance",
    "gov",
    "admin",
)


def roles_asked(claim: Claim, t) -> tuple[str, ...]:
    """The roles advance() asks for `t`'s trigger on `claim`: as the claim's own workflow
    declares it (the placed claims run on one workflow, the moves come from every one)."""
    own = engine_for(claim).spec
    return own.first(t.trigger).roles if t.trigger in own.triggers else t.roles


def test_the_api_refuses_every_move_the_table_refuses(seeded, api, actors, at_sources):
    clients = {name: api(name) for name in SIGNS_IN}
    rows = 0
    for spec, t, source in transitions(seeded):
        cid = at_sources[(spec.name, source)]
        with seeded.app_context():
            claim = db.session.get(Claim, cid)
            refused = [
                name
                for name in SIGNS_IN
                if not expected(db.session.get(User, actors[name]), claim, roles_asked(claim, t))[0]
            ]
        for name in refused:
            rows += 1
            res = clients[name].fire(cid, t.trigger, version=1)
            # Another enterprise is not even told that the claim exists.
            status = 404 if name == "ent_jiangnan" else 403
            assert res.status_code == status, (spec.name, t.trigger, source, name, res.json)
            if status == 403:
                with seeded.app_context():
                    actor = db.session.get(User, actors[name])
                    claim = db.session.get(Claim, cid)
                    reason = expected(actor, claim, roles_asked(claim, t))[1]
                assert res.json["error"] == {"code": "forbidden", "message": reason, "fields": {}}
    with seeded.app_context():  # nothing moved
        for (_, state), cid in at_sources.items():
            assert db.session.get(Claim, cid).state == state
    print(f"trigger table over HTTP: {rows} refusals")
    assert rows
