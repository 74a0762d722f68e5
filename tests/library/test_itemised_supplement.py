"""The itemised 补正: the reviewer ticks the items to supplement, each with a remark; the
event records them, the 补正通知书 prints them numbered, the enterprise answers each (a file,
new or from the library, and a reply), and resubmission waits until every item is answered.
A return without a checklist works as before."""

import re
import shutil
import subprocess
from io import BytesIO

import pytest
from sqlalchemy import select

from approvals.claims.models import Attachment, ClaimEvent
from approvals.extensions import db
from approvals.notices.models import Notice
from tests.conftest import PDF_BYTES
from tests.library.conftest import library_document, put_in_library
from tests.web.conftest import text

PLAN = PDF_BYTES + b"% plan\n"


@pytest.fixture
def submitted(seeded, clause, web, api):
    """A claim of 华东精密机械 under the clause, its licence and plan uploaded, submitted:
    (claim id, the plan's attachment id)."""
    ent = web("ent_huadong")
    claim = api("ent_huadong").create_claim(clause, "1000.00")
    ent.upload(claim["id"], "business_licence", PDF_BYTES, "执照.pdf")
    ent.upload(claim["id"], "project_plan", PLAN, "方案.pdf")
    assert api("ent_huadong").fire(claim["id"], "submit").status_code == 200
    with seeded.app_context():
        plan = db.session.scalar(
            select(Attachment).filter_by(claim_id=claim["id"], kind="project_plan")
        )
        return claim["id"], plan.id


def _version(api, claim_id) -> int:
    return api("reviewer_jmj").claim(claim_id).json["version"]


def return_itemised(web, api, claim_id, ticked: dict, **extra):
    """The reviewer's 退回补正 from the claim page, `ticked` {item key: remark}."""
    form = {
        "trigger": "return_for_supplement",
        "version": _version(api, claim_id),
        "comment": "请按清单补正",
        "supplement_days": "5",
        "supplement_item": list(ticked),
        **{f"supplement_remark-{key}": remark for key, remark in ticked.items()},
        **extra,
    }
    return web("reviewer_jmj").post(f"/claims/{claim_id}/supplement-request", form)


def _return_event(app, claim_id) -> ClaimEvent:
    with app.app_context():
        event = db.session.scalar(
            select(ClaimEvent).filter_by(claim_id=claim_id, trigger="return_for_supplement")
        )
        db.session.expunge(event)
        return event


def _pdf_text(app, claim_id, tmp_path) -> str:
    with app.app_context():
        notice = db.session.scalar(select(Notice).filter_by(claim_id=claim_id, kind="supplement"))
        pdf = notice.pdf
    assert pdf, "the 补正通知书 was rendered after the commit"
    path = tmp_path / "supplement.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [shutil.which("pdftotext"), "-raw", str(path), "-"], capture_output=True, check=True
    )
    return re.sub(r"\s+", "", out.stdout.decode())


def test_an_itemised_return_is_recorded_printed_answered_and_resubmitted(
    seeded, submitted, web, api, tmp_path
):
    claim_id, plan_id = submitted
    page = text(web("reviewer_jmj").get(f"/claims/{claim_id}"))
    assert 'name="supplement_item" value="business_licence"' in page
    assert f'value="file-{plan_id}"' in page
    assert "supplement-request" in page  # the return's button posts the checklist
    ticked = {"business_licence": "已过期，请上传有效版本", f"file-{plan_id}": ""}
    assert return_itemised(web, api, claim_id, ticked).status_code == 303

    event = _return_event(seeded, claim_id)
    items = event.payload["supplement_checklist"]
    assert [(i["key"], i["label"], i["remark"]) for i in items] == [
        ("business_licence", "营业执照", "已过期，请上传有效版本"),
        (f"file-{plan_id}", "项目方案：方案.pdf", ""),
    ]
    history = "1. 营业执照：已过期，请上传有效版本；2. 项目方案：方案.pdf"
    assert event.payload["supplement_items"] == history
    assert event.payload["supplement_days"] == 5

    printed = _pdf_text(seeded, claim_id, tmp_path)
    assert "补正材料清单：1．营业执照：已过期，请上传有效版本2．项目方案：方案.pdf" in printed

    ent = web("ent_huadong")
    page = text(ent.get(f"/claims/{claim_id}"))
    assert "已过期，请上传有效版本" in page and "答复此项" in page
    res = api("ent_huadong").fire(claim_id, "submit")
    assert res.status_code == 422
    assert "以下补正事项尚未逐项答复：营业执照、项目方案：方案.pdf" in res.json["error"]["message"]

    # The licence from the library, by reference; the plan as a new file with a reply.
    put_in_library(ent, valid_until="2027-06-30")
    document = library_document(seeded)
    res = ent.post(
        f"/claims/{claim_id}/supplement-answers",
        {"item": "business_licence", "document": document.id, "reply": "已换发新证"},
    )
    assert res.status_code == 303
    assert api("ent_huadong").fire(claim_id, "submit").status_code == 422  # one item left
    res = ent.post(
        f"/claims/{claim_id}/supplement-answers",
        {
            "item": f"file-{plan_id}",
            "file": (BytesIO(PDF_BYTES + b"% plan v2\n"), "方案（修订）.pdf"),
            "reply": "已补充产业化进度",
        },
        content_type="multipart/form-data",
    )
    assert res.status_code == 303
    with seeded.app_context():
        kinds = [
            (a.kind, a.library_document_id is not None)
            for a in db.session.scalars(select(Attachment).filter_by(claim_id=claim_id))
        ]
    assert ("business_licence", True) in kinds
    assert kinds.count(("project_plan", False)) == 2

    assert api("ent_huadong").fire(claim_id, "submit").status_code == 200
    # The reviewer sees each item with its answer.
    page = text(web("reviewer_jmj").get(f"/claims/{claim_id}"))
    assert "最近一次补正事项及答复" in page
    assert "已换发新证" in page and "方案（修订）.pdf" in page


def test_a_return_without_ticks_is_the_return_as_before(seeded, submitted, web, api):
    claim_id, _plan = submitted
    assert return_itemised(web, api, claim_id, {}).status_code == 303
    event = _return_event(seeded, claim_id)
    assert "supplement_checklist" not in event.payload
    assert 'id="supplement-items"' not in text(web("ent_huadong").get(f"/claims/{claim_id}"))
    assert api("ent_huadong").fire(claim_id, "submit").status_code == 200


def test_the_api_takes_the_checklist_as_lines(seeded, submitted, api):
    claim_id, plan_id = submitted
    res = api("reviewer_jmj").fire(
        claim_id,
        "return_for_supplement",
        comment="补正",
        supplement_items=f"project_plan: 缺进度说明\nfile-{plan_id}",
    )
    assert res.status_code == 200, res.json
    labels = [i["label"] for i in _return_event(seeded, claim_id).payload["supplement_checklist"]]
    assert labels == ["项目方案", "项目方案：方案.pdf"]


@pytest.mark.parametrize(
    "value",
    [
        "no_such_item",
        "file-99999",
        "business_licence\nbusiness_licence",
        "business_licence：" + "长" * 201,
        "   ",
        ["business_licence"],
        12,
    ],
)
def test_a_bad_checklist_is_422_and_the_claim_stays(seeded, submitted, api, value):
    claim_id, _plan = submitted
    reviewer = api("reviewer_jmj")
    res = reviewer.fire(claim_id, "return_for_supplement", comment="补正", supplement_items=value)
    assert res.status_code == 422, res.json
    assert "supplement_items" in res.json["error"]["fields"]
    assert reviewer.claim(claim_id).json["state"] == "submitted"


def test_a_checklist_goes_with_a_return_only(seeded, submitted, api):
    claim_id, _plan = submitted
    res = api("reviewer_jmj").fire(
        claim_id, "dept_reject", comment="不予支持", supplement_items="business_licence"
    )
    assert res.status_code == 422
    assert api("reviewer_jmj").claim(claim_id).json["state"] == "submitted"


def test_only_the_reviewer_returns_with_a_checklist(seeded, submitted, web, api):
    claim_id, _plan = submitted
    path = f"/claims/{claim_id}/supplement-request"
    form = {"trigger": "return_for_supplement", "version": _version(api, claim_id)}
    assert web("ent_huadong").post(path, form).status_code == 403
    assert web("reviewer_kjj").post(path, form).status_code == 404
    # A stale version is a conflict shown over the claim, not a move.
    form = {**form, "version": 1, "comment": "补正", "supplement_item": "business_licence"}
    assert web("reviewer_jmj").post(path, form).status_code == 409


@pytest.mark.parametrize(
    "posted, status",
    [
        ({"item": "no_such_item", "reply": "x"}, 404),
        ({"item": "business_licence"}, 422),  # neither a file nor a reply
        ({"item": "business_licence", "reply": "长" * 201}, 422),
        ({"item": "business_licence", "document": "99999"}, 404),
        ({"item": "business_licence", "file": b"GIF89a"}, 422),  # not a PDF, JPEG or PNG
    ],
)
def test_a_bad_answer_is_a_4xx(seeded, submitted, web, api, posted, status):
    claim_id, _plan = submitted
    assert return_itemised(web, api, claim_id, {"business_licence": ""}).status_code == 303
    posted = dict(posted)  # the parameter serves both databases: the file is made here
    if "file" in posted:
        posted["file"] = (BytesIO(posted["file"]), "a.gif")
    res = web("ent_huadong").post(
        f"/claims/{claim_id}/supplement-answers", posted, content_type="multipart/form-data"
    )
    assert res.status_code == status
    assert api("ent_huadong").fire(claim_id, "submit").status_code == 422


def test_nothing_to_answer_without_a_checklist(seeded, submitted, web, api):
    claim_id, _plan = submitted
    assert return_itemised(web, api, claim_id, {}).status_code == 303
    res = web("ent_huadong").post(
        f"/claims/{claim_id}/supplement-answers", {"item": "business_licence", "reply": "好"}
    )
    assert res.status_code == 409
