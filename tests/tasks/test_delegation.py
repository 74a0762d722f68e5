"""委派: while a delegation runs, the substitute sees the claims its principal's tasks are on
and decides them, both names recorded on the task and on the event and shown on the page;
one not yet begun, ended or revoked gives no right. Making and revoking one, by the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from approvals.claims.models import ClaimEvent
from approvals.clock import current_time, local_today
from approvals.extensions import db
from tests.tasks.conftest import decide, delegate, task_of, user_id
from tests.web.conftest import text


def _sign(api, username: str, claim_id: int, decision="agree", opinion="同意", **prepared):
    client = api(username)
    res = decide(client, task_of(client, claim_id), decision, opinion, **prepared)
    assert res.status_code == 200, res.json
    return res.json


def _today(app):
    with app.app_context():
        return local_today()


def _chief_task(api, claim_id: int) -> dict:
    """经贸局's open section-chief task of the claim, as the claim lists it."""
    [task] = [
        t
        for t in api("admin").claim(claim_id).json["tasks"]
        if t["step"] == "section_chief" and t["status"] == "open"
    ]
    return task


def test_a_substitute_decides_its_principals_task_with_both_names(seeded, api, web, file_chain):
    claim_id = file_chain(threshold="50000.00")
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    substitute = api("kjj_chief")  # 科技局's section chief: no right of its own on the claim
    assert substitute.claim(claim_id).status_code == 404
    assert task_of(substitute, claim_id) is None

    given = delegate(seeded, api, "jmj_chief", "kjj_chief", reason="出差一周")
    assert (given["principal"]["name"], given["substitute"]["name"]) == ("李科长", "赵科长")
    assert given["status"] == "running"
    assert substitute.claim(claim_id).status_code == 200
    task = task_of(substitute, claim_id)
    assert task["step"] == "section_chief"
    res = decide(substitute, task, opinion="代为审核，同意")
    assert res.status_code == 200, res.json
    assert res.json["decided_by"]["name"] == "赵科长"
    assert res.json["on_behalf_of"] == {"id": user_id(seeded, "jmj_chief"), "name": "李科长"}
    with seeded.app_context():
        decided = db.session.scalars(
            db.select(ClaimEvent).filter_by(claim_id=claim_id).order_by(ClaimEvent.id.desc())
        ).first()
        assert (decided.trigger, decided.actor.username) == ("task_decision", "kjj_chief")
        assert decided.payload["on_behalf_of"] == user_id(seeded, "jmj_chief")
        assert decided.snapshot["actor"]["department"] == "KJJ"
        assert decided.snapshot["actor"]["on_behalf_of"]["name"] == "李科长"

    # Whoever reads the claim sees both names: in the chain's table and on the timeline.
    page = text(web("ent_huadong").get(f"/claims/{claim_id}"))
    row = page.split(f'id="task-{task["id"]}"', 1)[1].split("</tr>", 1)[0]
    assert "赵科长" in row and "（代 李科长）" in row and "科室负责人" in row
    assert "赵科长（代 李科长）" in page  # the decision's event
    assert "审核：同意" in page and "经办：同意" in page

    _sign(api, "jmj_leader", claim_id)
    with seeded.app_context():
        approve = db.session.scalar(
            db.select(ClaimEvent).filter_by(claim_id=claim_id, trigger="dept_approve")
        )
        assert (
            "市经贸局审核（科室负责人：赵科长，代 李科长）同意：代为审核，同意" in approve.comment
        )


def test_the_actors_own_right_comes_before_a_delegation(seeded, api, file_chain):
    claim_id = file_chain(threshold="50000.00")
    delegate(seeded, api, "jmj_leader", "jmj_chief")  # the chief may act for the leader
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    signed = _sign(api, "jmj_chief", claim_id)
    assert signed["on_behalf_of"] is None  # signed as the section chief it is
    # The leader's step is the chief's by delegation, but it signed the step before.
    [leader] = [t for t in api("admin").claim(claim_id).json["tasks"] if t["step"] == "leader"]
    res = decide(api("jmj_chief"), leader)
    assert res.status_code == 403 and "双人把关" in res.json["error"]["message"]


def test_of_several_principals_the_first_delegation_is_the_one_recorded(
    seeded, api, make_reviewer, file_chain
):
    make_reviewer("jmj_chief_2", "JMJ", "孙科长", "section_chief")
    claim_id = file_chain(threshold=None)
    delegate(seeded, api, "jmj_chief", "kjj_chief")
    delegate(seeded, api, "jmj_chief_2", "kjj_chief")
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    assert _sign(api, "kjj_chief", claim_id)["on_behalf_of"]["name"] == "李科长"


def _no_right(api, claim_id: int) -> None:
    substitute = api("kjj_chief")
    assert substitute.claim(claim_id).status_code == 404
    assert task_of(substitute, claim_id) is None
    res = decide(substitute, _chief_task(api, claim_id))
    assert (res.status_code, res.json["error"]["message"]) == (403, "该审核任务不属于本部门")


def test_a_delegation_not_yet_begun_gives_no_right(seeded, api, file_chain):
    claim_id = file_chain(threshold=None)
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    tomorrow = _today(seeded) + timedelta(days=1)
    made = delegate(seeded, api, "jmj_chief", "kjj_chief", starts_on=tomorrow)
    assert made["status"] == "scheduled"
    _no_right(api, claim_id)


def test_a_delegation_that_has_ended_gives_no_right(seeded, api, file_chain):
    claim_id = file_chain(threshold=None)
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    delegate(seeded, api, "jmj_chief", "kjj_chief")  # today only
    later = current_time() + timedelta(days=2)
    seeded.config["CLOCK"] = lambda: later
    listed = api("kjj_chief").get("/api/v1/delegations").json["received"]
    assert [d["status"] for d in listed] == ["ended"]
    _no_right(api, claim_id)


def test_a_revoked_delegation_gives_no_right(seeded, api, file_chain):
    claim_id = file_chain(threshold=None)
    _sign(api, "jmj_officer", claim_id, approved_amount="80000")
    made = delegate(seeded, api, "jmj_chief", "kjj_chief")
    assert api("kjj_chief").claim(claim_id).status_code == 200
    res = api("jmj_chief").post(f"/api/v1/delegations/{made['id']}/revoke")
    assert (res.status_code, res.json["status"]) == (200, "revoked")
    assert res.json["revoked_at"]
    _no_right(api, claim_id)
    again = api("jmj_chief").post(f"/api/v1/delegations/{made['id']}/revoke")
    assert (again.status_code, again.json["error"]["code"]) == (409, "delegation_revoked")


def test_only_the_principal_revokes_its_delegation(seeded, api, chain_officials):
    made = delegate(seeded, api, "jmj_chief", "kjj_chief")
    for username in ("kjj_chief", "reviewer_jmj"):
        res = api(username).post(f"/api/v1/delegations/{made['id']}/revoke")
        assert res.status_code == 404, username
    res = api("ent_huadong").post(f"/api/v1/delegations/{made['id']}/revoke")
    assert res.status_code == 403
    mine = api("jmj_chief").get("/api/v1/delegations").json
    assert [d["id"] for d in mine["given"]] == [made["id"]] and mine["received"] == []
    theirs = api("kjj_chief").get("/api/v1/delegations").json
    assert [d["id"] for d in theirs["received"]] == [made["id"]] and theirs["given"] == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"substitute_id": None}, "substitute"),
        ({"substitute": "jmj_chief"}, "substitute"),  # oneself
        ({"substitute": "finance"}, "substitute"),  # another role
        ({"substitute_id": 999999}, "substitute"),
        ({"starts_on": -1}, "starts_on"),  # from yesterday
        ({"starts_on": 2, "ends_on": 1}, "ends_on"),  # ends before it starts
        ({"ends_on": 400}, "ends_on"),  # more than a year
        ({"reason": "  "}, "reason"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
    ],
)
def test_a_delegation_that_cannot_be_made_is_named_field_by_field(
    seeded, api, chain_officials, overrides, field
):
    """Dates are given as days from today, or as they are sent."""
    overrides, today = dict(overrides), _today(seeded)
    substitute = user_id(seeded, overrides.pop("substitute", "kjj_chief"))
    body = {"substitute_id": substitute, "starts_on": 0, "ends_on": 0, "reason": "休假"}
    body.update(overrides)
    for key in ("starts_on", "ends_on"):
        if isinstance(body[key], int):
            body[key] = (today + timedelta(days=body[key])).isoformat()
    body = {key: value for key, value in body.items() if value is not None}
    res = api("jmj_chief").post("/api/v1/delegations", json=body)
    assert (res.status_code, res.json["error"]["code"]) == (422, "invalid"), res.json
    assert field in res.json["error"]["fields"]
    assert api("jmj_chief").get("/api/v1/delegations").json["given"] == []


def test_only_officials_delegate(api, seeded):
    for username in ("ent_huadong", "admin"):
        assert api(username).get("/api/v1/delegations").status_code == 403
        assert api(username).post("/api/v1/delegations", json={}).status_code == 403
