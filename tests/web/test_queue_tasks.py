"""Review tasks on the queue page (待办审核任务): each official sees the tasks of its own
department with the claim's deadline and who holds each, by tab (待办, 已认领, 已办), paged by
a cursor of their own; an official of another department sees none of them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import update

from approvals.claims.models import Claim
from approvals.extensions import db
from tests.tasks import conftest as joint_track
from tests.tasks.conftest import decide_as, task_of
from tests.web.conftest import text

# The joint-review track's fixtures (tests/tasks/conftest.py), lent to this module.
deploy, file_joint, make_reviewer, reviewers = (
    joint_track.deploy,
    joint_track.file_joint,
    joint_track.make_reviewer,
    joint_track.reviewers,
)
TASK_ROW = re.compile(r'<tr id="queue-task-(\d+)"')


def _section(page: str) -> str:
    """The review tasks section of the queue page ("" when the page has none)."""
    if 'id="review-tasks"' not in page:
        return ""
    return page.split('id="review-tasks"', 1)[1].split("</section>", 1)[0]


def _row(section: str, task_id: int) -> str:
    return section.split(f'<tr id="queue-task-{task_id}"', 1)[1].split("</tr>", 1)[0]


def _late(seeded, claim_id: int) -> None:
    """Give the claim a deadline in its state, long past: the last day in time 2026-02-28."""
    with seeded.app_context():
        late = datetime(2026, 2, 28, 16, 0, tzinfo=UTC)  # 1 March 00:00 in Beijing
        db.session.execute(update(Claim).where(Claim.id == claim_id).values(due_at=late))
        db.session.commit()


def test_a_reviewer_sees_its_departments_open_task_with_its_deadline_and_holder(
    seeded, web, api, file_joint, make_reviewer
):
    claim_id = file_joint(departments=("JMJ", "ZSJ"))
    _late(seeded, claim_id)
    # A second official of 经贸局 takes the task (认领).
    make_reviewer("jmj_wang", "JMJ", display_name="王经办")
    holder = api("jmj_wang")
    jmj_task = task_of(holder, claim_id)
    assert holder.post(f"/api/v1/tasks/{jmj_task['id']}/claim").status_code == 200
    zsj_task = task_of(api("reviewer_zsj"), claim_id)

    section = _section(text(web("reviewer_jmj").get("/queue")))
    assert "待办审核任务" in section
    assert TASK_ROW.findall(section) == [str(jmj_task["id"])]  # not 招商局's task
    row = _row(section, jmj_task["id"])
    claim = api("admin").claim(claim_id).json
    assert f'href="/claims/{claim_id}#task-{jmj_task["id"]}">{claim["number"]}</a>' in row
    assert claim["project_title"] in row and claim["enterprise"]["name"] in row
    assert "市经贸局" in row and "联合审核中" in row
    assert "2026-02-28" in row and "已超期" in row and "王经办" in row
    assert 'class="row-overdue"' in section

    # 招商局's reviewer sees its own task, not held by anyone; 科技局, in no review, no section.
    zsj = _section(text(web("reviewer_zsj").get("/queue")))
    assert TASK_ROW.findall(zsj) == [str(zsj_task["id"])]
    assert "未认领" in _row(zsj, zsj_task["id"])
    assert _section(text(web("reviewer_kjj").get("/queue"))) == ""


def test_the_tabs_show_held_and_decided_tasks(seeded, web, api, file_joint):
    claim_id = file_joint(departments=("JMJ", "ZSJ"))
    reviewer = api("reviewer_jmj")
    task = task_of(reviewer, claim_id)
    client = web("reviewer_jmj")
    assert TASK_ROW.findall(_section(text(client.get("/queue?tasks=claimed")))) == []
    assert reviewer.post(f"/api/v1/tasks/{task['id']}/claim").status_code == 200
    held = _section(text(client.get("/queue?tasks=claimed")))
    assert TASK_ROW.findall(held) == [str(task["id"])]
    assert 'aria-current="page">已认领</a>' in held

    assert decide_as(api, "reviewer_jmj", claim_id, opinion="符合条件").status_code == 200
    assert TASK_ROW.findall(_section(text(client.get("/queue")))) == []  # none left to do
    done = _section(text(client.get("/queue?tasks=done")))
    row = _row(done, task["id"])
    assert "已办理" in row and "同意" in row and "市经贸局初审" in row
    assert "办理时间" in done and "办理时限" not in done


def test_the_tasks_page_with_their_own_cursor_and_keep_the_claims_filters(
    seeded, web, api, file_joint, make_enterprise
):
    seeded.config["QUEUE_PAGE_SIZE"] = 1
    first = file_joint(departments=("JMJ", "ZSJ"))
    second = file_joint(departments=("JMJ", "ZSJ"), enterprise=make_enterprise())
    reviewer = web("reviewer_jmj")
    section = _section(text(reviewer.get("/queue?order=newest")))
    [shown] = TASK_ROW.findall(section)
    assert shown == str(task_of(api("reviewer_jmj"), first)["id"])
    link = re.search(r'href="(/queue\?[^"]*tasks_after=\d+[^"]*)"', section).group(1)
    assert "order=newest" in link
    rest = _section(text(reviewer.get(link.replace("&amp;", "&"))))
    assert TASK_ROW.findall(rest) == [str(task_of(api("reviewer_jmj"), second)["id"])]
    assert "第一页" in rest
    # A cursor or tab that is no id or status is refused, not a server error.
    assert reviewer.get("/queue?tasks_after=abc").status_code == 422
    assert reviewer.get("/queue?tasks=everything").status_code == 422


def test_the_task_section_reads_in_english(seeded, web, api, file_joint):
    file_joint(departments=("JMJ", "ZSJ"))
    client = web("reviewer_jmj")
    client.get("/lang/en")
    res = client.get("/queue")
    assert res.status_code == 200
    section = _section(text(res))
    assert len(TASK_ROW.findall(section)) == 1
    assert "In joint review" in section  # the state's label from the workflow file
