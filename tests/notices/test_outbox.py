"""The notices' outbox: a transition commits its notice's number and facts; the PDF is
rendered after the commit. A render that does not happen (the process died between the
commit and the render, or WeasyPrint failed) loses nothing: the notice is pending, says so
on the claim page and in the API, its file answers 202, and `render-pending` renders it
later under the same number, to the very bytes its facts give."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from approvals.audit.check import audit
from approvals.extensions import db
from approvals.notices import outbox
from approvals.notices.facts import facts_from_json
from approvals.notices.models import Notice, NoticeFile
from approvals.notices.render import render_notice
from tests.web.conftest import text


def _render_dies(monkeypatch):
    """The renderer's process dies after the transition committed: nothing is rendered."""

    def dies(notice):
        raise RuntimeError("the renderer died")

    monkeypatch.setattr(outbox, "pdf_of", dies)


def _receipt(claim_json: dict) -> dict:
    return next(n for n in claim_json["notices"] if n["kind"] == "receipt")


def test_a_transition_issues_its_notice_after_the_commit(api, submitted_claim):
    claim = api("ent_huadong").claim(submitted_claim).json
    receipt = _receipt(claim)
    assert receipt["status"] == "issued" and len(receipt["sha256"]) == 64
    res = api("ent_huadong").get(receipt["url"])
    assert res.status_code == 200 and res.data.startswith(b"%PDF")


def test_a_render_lost_after_the_commit_is_rendered_later_with_the_same_number_and_bytes(
    seeded, api, web, monkeypatch
):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    _render_dies(monkeypatch)
    res = ent.fire(claim["id"], "submit")
    assert res.status_code == 200 and res.json["state"] == "submitted"  # the move stands
    receipt = _receipt(ent.claim(claim["id"]).json)
    assert receipt["status"] == "pending" and receipt["sha256"] is None
    pending = ent.get(receipt["url"])
    assert pending.status_code == 202 and pending.headers["Retry-After"] == "2"
    assert pending.json["error"]["code"] == "notice_pending"
    page = text(web("ent_huadong").get(f"/claims/{claim['id']}"))
    assert "正在生成" in page and "data-pending-notice=" in page
    with seeded.app_context():
        report = audit()
        assert report.breaks == [] and report.counts["pending"] == 1  # not a break
    monkeypatch.undo()  # the renderer is back

    result = seeded.test_cli_runner().invoke(args=["render-pending"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "rendered 1, failed 0, pending 0"
    again = _receipt(ent.claim(claim["id"]).json)
    assert again["number"] == receipt["number"] and again["status"] == "issued"
    pdf = ent.get(again["url"])
    assert pdf.status_code == 200
    with seeded.app_context():
        notice = db.session.get(Notice, receipt["id"])
        assert pdf.data == render_notice(facts_from_json(notice.facts))  # the facts' bytes
        assert audit().breaks == []
    page = text(web("ent_huadong").get(f"/claims/{claim['id']}"))
    assert "正在生成" not in page


def test_the_next_notice_takes_the_next_number_while_one_is_pending(
    seeded, api, submitted_claim, monkeypatch
):
    _render_dies(monkeypatch)
    res = api("reviewer_jmj").fire(
        submitted_claim, "return_for_supplement", comment="请补充材料", supplement_days="10"
    )
    assert res.status_code == 200, res.json
    monkeypatch.undo()
    assert api("ent_huadong").fire(submitted_claim, "withdraw").status_code == 200
    with seeded.app_context():
        rows = db.session.execute(
            select(Notice.id, Notice.kind, Notice.seq)
            .where(Notice.claim_id == submitted_claim)
            .order_by(Notice.id)
        ).all()
        assert [kind for _, kind, _ in rows] == ["receipt", "supplement", "withdrawal"]
        # 经贸局's numbers run on without a gap past the pending one, which keeps its own
        assert [seq for *_, seq in rows] == list(range(rows[0].seq, rows[0].seq + 3))
        assert outbox.pending_ids() == [rows[1].id]


def test_a_notice_is_rendered_once_whoever_renders_it(seeded, api, monkeypatch):
    ent = api("ent_huadong")
    claim = ent.create_claim()
    _render_dies(monkeypatch)
    for kind in ("business_licence", "project_plan"):
        ent.attach(claim["id"], kind)
    assert ent.fire(claim["id"], "submit").status_code == 200
    monkeypatch.undo()
    with seeded.app_context():
        [notice_id] = outbox.pending_ids()
        assert outbox.render_one(notice_id) is True
        assert outbox.render_one(notice_id) is False  # a second renderer finds it done
        count = db.session.scalar(
            select(func.count()).select_from(NoticeFile).where(NoticeFile.notice_id == notice_id)
        )
        assert count == 1


@pytest.mark.parametrize("limit", [1])
def test_render_pending_renders_at_most_its_limit(seeded, api, monkeypatch, limit):
    _render_dies(monkeypatch)
    for username in ("ent_huadong", "ent_jiangnan"):
        ent = api(username)
        claim = ent.create_claim()
        for kind in ("business_licence", "project_plan"):
            ent.attach(claim["id"], kind)
        assert ent.fire(claim["id"], "submit").status_code == 200
    monkeypatch.undo()
    runner = seeded.test_cli_runner()
    result = runner.invoke(args=["render-pending", "--limit", str(limit)])
    assert result.output.strip() == "rendered 1, failed 0, pending 1"
    assert runner.invoke(args=["render-pending"]).output.strip() == (
        "rendered 1, failed 0, pending 0"
    )
