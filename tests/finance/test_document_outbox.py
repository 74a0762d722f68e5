"""Document notices (a batch's 拨付清单, a department's 申请认定表) through the outbox: the
transaction that locks the batch or the claims numbers the document and keeps its page with
the facts; the PDF is drawn after the commit. A render lost after the commit loses nothing:
`render-pending` draws it later, same number, the very bytes its stored page gives."""

from __future__ import annotations

from approvals.extensions import db
from approvals.finance import batches
from approvals.finance.models import Batch
from approvals.notices import outbox
from approvals.notices.documents import render_stored
from approvals.notices.models import Notice
from approvals.recognition_forms.models import RecognitionForm
from tests.finance.conftest import actor
from tests.platform.conftest import notice_text
from tests.recognition_forms.helpers import send_form


def _render_dies(monkeypatch):
    def dies(notice):
        raise RuntimeError("the renderer died")

    monkeypatch.setattr(outbox, "pdf_of", dies)


def _rendered_later(app, notice_id: int, pending: int) -> bytes:
    result = app.test_cli_runner().invoke(args=["render-pending"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"rendered {pending}, failed 0, pending 0"
    with app.app_context():
        notice = db.session.get(Notice, notice_id)
        assert notice.pdf == render_stored(notice.facts)  # the stored page's bytes
        return notice.pdf


def test_a_batch_list_lost_after_the_commit_is_drawn_later_under_its_number(
    seeded, claims, monkeypatch, tmp_path
):
    ids = claims(2, to="approved", amount="800.00")
    with seeded.app_context():
        batch_id = batches.compose(actor("finance"), ids).id
    _render_dies(monkeypatch)
    with seeded.app_context():
        assert batches.confirm(actor("finance"), batch_id).state == "confirmed"  # it stands
        batch = db.session.get(Batch, batch_id)
        notice = batch.list_notice
        number, notice_id = notice.number, notice.id
        # the list and the two payout notices wait
        assert notice.pdf is None and len(outbox.pending_ids()) == 3
        page = notice.facts["page"]
        assert page["number"] == number and page["count"] == 2
        assert "seal" not in page and "qr_uri" not in page  # drawn at rendering, not kept
    monkeypatch.undo()
    pdf = _rendered_later(seeded, notice_id, 3)
    (tmp_path / "batch-list.pdf").write_bytes(pdf)  # kept with the test's files, to look at
    words = notice_text(pdf)
    assert number in words and "拨付清单" in words and "1,600.00" in words


def test_a_recognition_form_lost_after_the_commit_is_drawn_later_under_its_number(
    seeded, claims, monkeypatch
):
    ids = claims(2, to="recognised", amount="900.00")
    _render_dies(monkeypatch)
    [form_id] = send_form(seeded, *ids)
    with seeded.app_context():
        form = db.session.get(RecognitionForm, form_id)
        assert form.status == "sent"  # the claims moved on to finance all the same
        assert {item.claim.state for item in form.items} == {"finance_review"}
        notice = db.session.get(Notice, outbox.pending_ids()[0])
        assert notice.recognition_form_id == form_id
        number, notice_id = notice.number, notice.id
    monkeypatch.undo()
    words = notice_text(_rendered_later(seeded, notice_id, 1))
    assert number in words and "申请认定表" in words and "1,800.00" in words
