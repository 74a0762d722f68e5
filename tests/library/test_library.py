"""材料库: an enterprise keeps its documents once, with their validity, and attaches them to a
claim by reference (the same stored file, no second upload); an expired one is refused with
its date; a new claim offers the valid ones pre-ticked."""

import pytest
from sqlalchemy import select

from approvals.claims.models import Attachment
from approvals.extensions import db
from tests.conftest import PDF_BYTES, set_clock
from tests.library.conftest import LICENCE, library_document, put_in_library, stored_files
from tests.web.conftest import text


def test_enterprise_uploads_a_document_with_its_validity(seeded, clause, web):
    ent = web("ent_huadong")
    res = put_in_library(ent, valid_until="2027-06-30")
    assert res.status_code == 303
    page = text(ent.get("/library"))
    assert "营业执照.pdf" in page and "2027-06-30" in page
    document = library_document(seeded)
    assert document.valid_until.isoformat() == "2027-06-30"
    with ent.get(f"/library/files/{document.sha256}") as res:
        assert res.data == LICENCE
    # Another enterprise neither lists nor reads it.
    other = web("ent_jiangnan")
    assert "营业执照.pdf" not in text(other.get("/library"))
    assert other.get(f"/library/files/{document.sha256}").status_code == 404


@pytest.mark.parametrize(
    "fields, problem",
    [
        ({"kind": "business_licence", "data": b"GIF89a not a pdf"}, "PDF、JPEG 或 PNG"),
        ({"kind": "business_licence", "data": b""}, "请选择要上传的文件"),
        ({"kind": "no_such_kind"}, "请选择材料类别"),
        ({"kind": "business_licence", "valid_until": "2026-13-40"}, "有效期应为日期"),
        ({"kind": "business_licence", "valid_until": "2026-09-09"}, "有效期已过"),
    ],
)
def test_a_bad_upload_is_a_form_error_not_a_server_error(seeded, clause, web, fields, problem):
    ent = web("ent_huadong")
    fields = dict(fields)  # the parameter serves both databases
    data = fields.pop("data", LICENCE)
    res = put_in_library(ent, data=data, **fields)
    assert res.status_code == 422
    assert problem in text(res)
    assert stored_files(seeded) == []


def test_a_new_version_replaces_the_document_and_keeps_the_old_for_its_claims(
    seeded, clause, web, api
):
    ent = web("ent_huadong")
    put_in_library(ent, valid_until="2026-12-31")
    old = library_document(seeded)
    claim = api("ent_huadong").create_claim(clause, "1000.00")
    assert ent.post(f"/claims/{claim['id']}/library", {"document": old.id}).status_code == 303
    renewed = PDF_BYTES + b"% 2027\n"
    res = put_in_library(ent, data=renewed, name="营业执照2027.pdf", document=old.id)
    assert res.status_code == 303
    new = library_document(seeded)
    assert (new.replaces_id, new.kind) == (old.id, "business_licence")
    page = text(ent.get("/library"))
    assert "营业执照2027.pdf" in page and "历史版本" in page
    assert claim["number"] in page  # where the old version is used
    # Replacing the old version again is refused: it has a newer one.
    res = put_in_library(ent, data=renewed, document=old.id)
    assert res.status_code == 409
    # The claim keeps the file it attached.
    with seeded.app_context():
        [attachment] = db.session.scalars(select(Attachment).filter_by(claim_id=claim["id"]))
        assert attachment.sha256 == old.sha256


def test_a_claim_attaches_a_library_document_by_reference_without_a_second_file(
    seeded, clause, web, api
):
    ent = web("ent_huadong")
    put_in_library(ent, valid_until="2027-06-30")
    document = library_document(seeded)
    first = api("ent_huadong").create_claim(clause, "1000.00")
    page = text(ent.get(f"/claims/{first['id']}"))
    # Offered pre-ticked; the plan, not in the library, is to be uploaded.
    assert f'name="document" value="{document.id}" checked' in page
    assert "需上传" in page
    assert ent.post(f"/claims/{first['id']}/library", {"document": document.id}).status_code == 303
    with seeded.app_context():
        [attachment] = db.session.scalars(select(Attachment).filter_by(claim_id=first["id"]))
        assert attachment.library_document_id == document.id
        assert attachment.sha256 == document.sha256
        attachment_id = attachment.id
    assert len(stored_files(seeded)) == 1  # the library's file, stored once
    # The claim page says where it came from; its download is the same file.
    page = text(ent.get(f"/claims/{first['id']}"))
    assert "来自材料库" in page and "有效期至 2027-06-30" in page
    # Attached twice: kept once.
    assert ent.post(f"/claims/{first['id']}/library", {"document": document.id}).status_code == 303
    with seeded.app_context():
        assert db.session.query(Attachment).filter_by(claim_id=first["id"]).count() == 1
    # And it satisfies the clause's evidence as any upload does.
    ent.upload(first["id"], "project_plan", PDF_BYTES, "方案.pdf")
    assert api("ent_huadong").fire(first["id"], "submit").status_code == 200
    # The reviewer sees the same file, said to come from the library with its validity.
    reviewer = web("reviewer_jmj")
    with reviewer.get(f"/claims/{first['id']}/attachments/{attachment_id}") as res:
        assert res.status_code == 200 and res.data == LICENCE
    assert "有效期至 2027-06-30" in text(reviewer.get(f"/claims/{first['id']}"))


def test_an_expired_document_is_refused_with_its_date(seeded, clause, web, api):
    ent = web("ent_huadong")
    put_in_library(ent, valid_until="2026-09-20")
    document = library_document(seeded)
    claim = api("ent_huadong").create_claim(clause, "1000.00")
    set_clock(seeded, "2026-09-21T09:00")
    page = text(ent.get(f"/claims/{claim['id']}"))
    assert f'value="{document.id}"' not in page  # no longer offered
    res = ent.post(f"/claims/{claim['id']}/library", {"document": document.id})
    assert res.status_code == 422
    assert "营业执照已于2026-09-20过期，请上传有效版本" in text(res)
    with seeded.app_context():
        assert db.session.query(Attachment).filter_by(claim_id=claim["id"]).count() == 0
    assert "已过期" in text(ent.get("/library"))


@pytest.mark.parametrize("posted", [{}, {"document": "abc"}, {"document": "99999999"}])
def test_attaching_nothing_or_an_unknown_document_is_a_4xx(seeded, clause, web, api, posted):
    ent = web("ent_huadong")
    claim = api("ent_huadong").create_claim(clause, "1000.00")
    res = ent.post(f"/claims/{claim['id']}/library", posted)
    assert res.status_code in (404, 422)


def test_another_enterprises_document_cannot_be_attached(seeded, clause, web, api):
    other = web("ent_jiangnan")
    put_in_library(other, data=PDF_BYTES + b"% other\n")
    theirs = library_document(seeded)
    claim = api("ent_huadong").create_claim(clause, "1000.00")
    res = web("ent_huadong").post(f"/claims/{claim['id']}/library", {"document": theirs.id})
    assert res.status_code == 404


def test_a_submitted_claim_takes_no_library_document(seeded, make_policy, web, api):
    set_clock(seeded, "2026-09-10T10:00")
    from datetime import date

    code = make_policy(
        call_year=2026,
        window_open=date(2026, 9, 1),
        window_close=date(2026, 9, 30),
        required_evidence=[],
    )
    ent = web("ent_huadong")
    put_in_library(ent)
    document = library_document(seeded)
    claim = api("ent_huadong").create_claim(code, "1000.00")
    assert api("ent_huadong").fire(claim["id"], "submit").status_code == 200
    res = ent.post(f"/claims/{claim['id']}/library", {"document": document.id})
    assert res.status_code == 409
