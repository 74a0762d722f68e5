"""The API twin of the workflow pages: the loaded versions with their claims, one version's
states with their claims and its open review tasks per department; administrators only."""

from __future__ import annotations

import pytest

from tests.platform.conftest import JOINT, PLATFORM, TOWNSHIP
from tests.tasks.conftest import task_of

BASE = "/api/v1/admin/workflows"


def _counts(body: dict) -> dict[str, int]:
    return {s["name"]: s["claims"] for s in body["states"]}


def test_the_list_counts_the_claims_of_each_version(seeded, api, make_claim, make_enterprise):
    for state in ("draft", "submitted", "rejected"):
        make_claim(state, enterprise=make_enterprise())
    res = api("admin").get(BASE)
    assert res.status_code == 200
    items = {(i["name"], i["version"]): i for i in res.json["items"]}
    assert items[("enterprise_claim", 1)]["claims"] == 3
    assert items[("enterprise_claim", 1)]["latest"] is True
    assert items[("platform_claim", 1)]["claims"] == 0


def test_a_version_gives_its_states_in_file_order_with_their_claims(
    seeded, api, make_claim, make_enterprise
):
    made = {"submitted": 2, "returned": 1, "rejected": 2}
    for state, count in made.items():
        for _ in range(count):
            make_claim(state, enterprise=make_enterprise())
    body = api("admin").get(f"{BASE}/enterprise_claim").json
    assert (body["name"], body["version"], body["versions"]) == ("enterprise_claim", 1, [1])
    assert body["claims"] == 5
    counts = _counts(body)
    assert counts == {name: made.get(name, 0) for name in counts}
    assert body["states"][0]["name"] == body["initial"]
    draft = body["states"][0]
    assert set(draft) >= {"label", "tags", "queue", "deadline", "final", "claims"}
    assert {"zh", "en"} == set(draft["label"])
    moves = {t["trigger"] for t in body["transitions"]}
    assert {"submit", "dept_approve"} <= moves
    assert body["open_tasks"] == []


def test_open_tasks_are_counted_per_department_in_a_joint_review(seeded, api, track):
    first = track.to_joint_review("PT2-PLAN")
    track.to_joint_review("PT2-PLAN", claimant=PLATFORM)
    track.joint(first, "JMJ")  # 经贸局 has signed the first claim
    # 招商局's reviewer takes the second claim's task: still open, now held.
    zsj = api(track.joint_reviewer("ZSJ", first))
    second_task = [t for t in zsj.get("/api/v1/tasks").json["items"] if t["claim_id"] != first]
    assert zsj.post(f"/api/v1/tasks/{second_task[0]['id']}/claim").status_code == 200
    body = api("admin").get(f"{BASE}/platform_claim").json
    assert _counts(body)["under_joint_review"] == 2
    tasks = {(t["department"], t["state"]): (t["open"], t["claimed"]) for t in body["open_tasks"]}
    assert tasks == {
        ("JMJ", "under_joint_review"): (1, 0),
        ("ZSJ", "under_joint_review"): (2, 1),
        ("CZJ", "under_joint_review"): (2, 0),
    }
    assert [t["department"] for t in body["open_tasks"]] == sorted(JOINT)
    # Signed by all three, the first claim moves on: its tasks are no longer open.
    track.joint(first, "ZSJ", "CZJ")
    assert task_of(api(track.joint_reviewer("CZJ", first)), first) is None
    after = api("admin").get(f"{BASE}/platform_claim").json["open_tasks"]
    assert {t["department"]: t["open"] for t in after} == {"JMJ": 1, "ZSJ": 1, "CZJ": 1}


def test_the_page_shows_the_same_open_tasks_by_department_name(seeded, track, web):
    track.to_joint_review("PT2-PLAN", claimant=TOWNSHIP)
    page = web("admin").get("/admin/workflows/platform_claim").get_data(as_text=True)
    table = page.split('<table class="data open-tasks">')[1].split("</table>")[0]
    for name in ("市经贸局", "市招商局", "市财政局"):
        row = table.split(name)[1].split("</tr>")[0]
        assert "联合审核中" in row and '<td class="num">1</td>' in row


@pytest.mark.parametrize("username", ["ent_huadong", "reviewer_jmj", "finance", "gov"])
def test_only_administrators_may_read_the_workflows(seeded, api, username):
    for path in (BASE, f"{BASE}/enterprise_claim", f"{BASE}/enterprise_claim?version=x"):
        res = api(username).get(path)
        assert res.status_code == 403
        assert res.json["error"]["code"] == "forbidden"
    assert api(None).get(BASE).status_code == 401


def test_a_version_not_loaded_is_not_found_and_a_bad_one_invalid(seeded, api):
    admin = api("admin")
    assert admin.get(f"{BASE}/nothing").json["error"]["code"] == "not_found"
    assert admin.get(f"{BASE}/enterprise_claim?version=99").status_code == 404
    res = admin.get(f"{BASE}/enterprise_claim?version=x")
    assert res.status_code == 422 and "version" in res.json["error"]["fields"]
