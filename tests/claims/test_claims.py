"""The enterprise's claim pages and the officials' decision form, through the web."""

from __future__ import annotations

import re

from tests.conftest import PDF_BYTES, PNG_BYTES
from tests.web.conftest import text


def _draft(client, policy="JMJ-PLAN", title="智能制造平台规划", amount="120000") -> int:
    res = client.post(
        f"/claims/new?policy={policy}", {"project_title": title, "requested_amount": amount}
    )
    assert res.status_code == 302, text(res)
    return int(res.location.rsplit("/", 1)[1])


def _version(client, claim_id) -> int:
    return int(
        re.search(r'name="version" value="(\d+)"', text(client.get(f"/claims/{claim_id}"))).group(1)
    )


def test_draft_is_saved_as_often_as_the_enterprise_likes(web):
    client = web("ent_huadong")
    claim_id = _draft(client)
    for title in ("第一稿", "第二稿"):
        res = client.post(
            f"/claims/{claim_id}/edit",
            {
                "project_title": title,
                "requested_amount": "90000",
                "version": _version(client, claim_id),
            },
        )
        assert res.status_code == 302
    page = text(client.get(f"/claims/{claim_id}"))
    assert "第二稿" in page
    assert "90,000.00" in page
    assert "草稿" in page


def test_amount_over_the_cap_is_shown_on_the_form(web):
    res = web("ent_huadong").post(
        "/claims/new?policy=JMJ-PLAN", {"project_title": "超限", "requested_amount": "300000.01"}
    )
    assert res.status_code == 422
    assert "申报金额不能超过" in text(res)


def test_a_file_that_claims_to_be_a_pdf_but_is_not_is_refused_with_a_message(web):
    client = web("ent_huadong")
    claim_id = _draft(client)
    res = client.upload(claim_id, "business_licence", b"<html>not a pdf</html>", "营业执照.pdf")
    assert res.status_code == 422
    assert "文件内容不是 PDF、JPEG 或 PNG" in text(res)
    assert "营业执照.pdf" not in text(client.get(f"/claims/{claim_id}"))


def test_evidence_keeps_its_original_name_and_can_be_removed(web):
    client = web("ent_huadong")
    claim_id = _draft(client)
    assert (
        client.upload(claim_id, "business_licence", PNG_BYTES, "执照扫描件.png").status_code == 302
    )
    page = text(client.get(f"/claims/{claim_id}"))
    assert "执照扫描件.png" in page
    delete = re.search(r'action="(/claims/\d+/attachments/\d+/delete)"', page).group(1)
    assert client.post(delete).status_code == 302
    assert "执照扫描件.png" not in text(client.get(f"/claims/{claim_id}"))


def test_submit_without_the_required_evidence_names_what_is_missing(web):
    client = web("ent_huadong")
    claim_id = _draft(client)
    res = client.act(claim_id, "submit", _version(client, claim_id))
    assert res.status_code == 422
    assert "缺少证明材料" in text(res)


def _submitted(client) -> int:
    claim_id = _draft(client)
    for kind in ("business_licence", "project_plan"):
        assert client.upload(claim_id, kind, PDF_BYTES, f"{kind}.pdf").status_code == 302
    assert client.act(claim_id, "submit", _version(client, claim_id)).status_code == 302
    return claim_id


def test_return_for_supplement_shows_the_reasons_and_resubmission_works(web):
    ent, reviewer = web("ent_huadong"), web("reviewer_jmj")
    claim_id = _submitted(ent)
    page = text(reviewer.get(f"/claims/{claim_id}"))
    offered = re.findall(r'name="trigger" value="(\w+)"', page)
    assert offered == ["return_for_supplement", "transfer", "dept_approve", "dept_reject"]
    res = reviewer.act(
        claim_id,
        "return_for_supplement",
        _version(reviewer, claim_id),
        comment="请补充项目预算明细",
    )
    assert res.status_code == 302
    page = text(ent.get(f"/claims/{claim_id}"))
    assert "补正意见" in page and "请补充项目预算明细" in page
    assert ent.upload(claim_id, "other", PDF_BYTES, "预算明细.pdf").status_code == 302
    assert ent.act(claim_id, "submit", _version(ent, claim_id)).status_code == 302
    assert "待初审" in text(ent.get(f"/claims/{claim_id}"))


def test_decision_without_its_required_fields_shows_field_errors(web):
    reviewer = web("reviewer_jmj")
    claim_id = _submitted(web("ent_huadong"))
    res = reviewer.act(claim_id, "dept_approve", _version(reviewer, claim_id), comment="同意")
    assert res.status_code == 422
    assert "请填写金额" in text(res)


def test_a_stale_page_gets_a_clear_message_not_an_overwrite(web):
    reviewer = web("reviewer_jmj")
    claim_id = _submitted(web("ent_huadong"))
    stale = _version(reviewer, claim_id)
    ok = reviewer.act(claim_id, "dept_approve", stale, approved_amount="100000", comment="同意")
    assert ok.status_code == 302
    res = reviewer.act(claim_id, "dept_reject", stale, comment="不同意")
    assert res.status_code == 409
    page = text(res)
    assert "他人已先处理了该申报" in page
    assert "待报送认定表" in page
    assert "不同意" in page  # what was typed is kept, not lost


def test_timeline_and_notice_download(web):
    ent = web("ent_huadong")
    claim_id = _submitted(ent)
    page = text(ent.get(f"/claims/{claim_id}"))
    assert "办理记录" in page and "提交申报" in page and "草稿 → 待初审" in page
    link = re.search(r'href="(/claims/\d+/notices/\d+\.pdf)"', page).group(1)
    res = ent.get(link)
    assert res.status_code == 200
    assert res.data.startswith(b"%PDF")
    assert res.headers["Content-Disposition"].startswith("attachment")


def test_my_claims_lists_state_amounts_next_step_and_deadline(web):
    ent = web("ent_huadong")
    _submitted(ent)
    page = text(ent.get("/claims"))
    assert "待初审" in page and "120,000.00" in page and "待职能部门初审" in page
    assert re.search(r"\d{4}-02-(28|29)", page)  # the department review deadline


def test_claim_form_asks_for_the_inputs_of_the_policy_amount_rule(web, make_policy):
    code = make_policy(amount_rule={"type": "percentage", "rate": "0.10", "cap": "1000000"})
    client = web("ent_huadong")
    form = text(client.get(f"/claims/new?policy={code}"))
    assert 'name="amount_inputs-base"' in form
    data = {"project_title": "技改", "requested_amount": "50000", "amount_inputs-base": "400000"}
    too_much = client.post(f"/claims/new?policy={code}", data)
    assert too_much.status_code == 422
    assert "申报金额不能超过按政策计算的上限" in text(too_much)
    assert 'value="400000"' in text(too_much)  # what was typed stays
    res = client.post(f"/claims/new?policy={code}", data | {"amount_inputs-base": "600000"})
    assert res.status_code == 302
    assert "投资额 600,000.00 × 资助比例 10%" in text(client.get(res.location))


def test_a_file_over_the_size_limit_is_refused_with_a_message(seeded, web):
    seeded.config["MAX_CONTENT_LENGTH"] = 4096  # the real limit is 20 MB; the rule is the same
    client = web("ent_huadong")
    claim_id = _draft(client)
    res = client.upload(claim_id, "business_licence", PDF_BYTES + b"0" * 8192, "大文件.pdf")
    assert res.status_code == 413
    assert "文件过大" in text(res)


def test_enterprise_withdraws_a_submitted_claim(web):
    ent = web("ent_huadong")
    claim_id = _submitted(ent)
    assert ent.act(claim_id, "withdraw", _version(ent, claim_id)).status_code == 302
    page = text(ent.get(f"/claims/{claim_id}"))
    assert "已撤回" in page and "撤回确认书" in page
