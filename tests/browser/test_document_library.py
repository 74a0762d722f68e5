"""材料库 in a real browser: an enterprise keeps its licence in its library, a new claim offers
it pre-ticked, the reviewer returns the claim with one ticked item, and the enterprise
answers that item and resubmits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_claim_journey import act, open_from_queue, sign_in, upload
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.browser


def test_a_library_licence_is_attached_returned_answered_and_resubmitted(person, tmp_path):
    ent = person()
    sign_in(ent, "ent_huadong")
    ent.click("nav.mainnav a:text-is('材料库')")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(PDF_BYTES + b"% licence\n")
    ent.select_option("#library-kind", "business_licence")
    ent.set_input_files("#library-file", str(licence))
    ent.fill("#library-valid-until", "2030-12-31")
    ent.click("main form.upload button[type=submit]")
    expect(ent.locator(".flash-success")).to_contain_text("营业执照.pdf")
    expect(ent.locator("#library-documents")).to_contain_text("2030-12-31")

    # A new claim: the licence is offered pre-ticked, attached in one click.
    ent.goto("/claims/new?policy=JMJ-PLAN")
    ent.fill("#project_title", "园区规划编制")
    ent.fill("#requested_amount", "100000")
    ent.click("main button[type=submit]")
    number = ent.locator("dd.code").first.inner_text()
    offered = ent.locator("#library-offer input[name=document]")
    expect(offered).to_be_checked()
    ent.click("#library-offer button[type=submit]")
    expect(ent.locator("#evidence")).to_contain_text("来自材料库")
    upload(ent, tmp_path, "project_plan", "规划方案.pdf")
    act(ent, "submit")
    expect(ent.locator(".page-head .state")).to_contain_text("待初审")

    # The reviewer ticks one item, with a remark, and returns the claim.
    reviewer = person()
    sign_in(reviewer, "reviewer_jmj")
    open_from_queue(reviewer, number)
    reviewer.check("input[name=supplement_item][value=project_plan]")
    reviewer.fill("#supplement-remark-project_plan", "缺少产业化进度说明")
    reviewer.fill("#decision-comment", "请按清单补正")
    act(reviewer, "return_for_supplement")
    expect(reviewer.locator(".page-head .state")).to_contain_text("待补正")

    # The enterprise answers that item with a new file and a reply, and resubmits.
    ent.reload()
    item = ent.locator("#supplement-item-project_plan")
    expect(item).to_contain_text("缺少产业化进度说明")
    plan = tmp_path / "规划方案（修订）.pdf"
    plan.write_bytes(PDF_BYTES + b"% plan v2\n")
    item.locator("input[type=file]").set_input_files(str(plan))
    item.locator("input[name=reply]").fill("已补充产业化进度说明")
    item.locator("button[type=submit]").click()
    expect(ent.locator("#supplement-item-project_plan")).to_contain_text("已答复")
    act(ent, "submit")
    expect(ent.locator(".page-head .state")).to_contain_text("待初审")
    expect(ent).to_have_url(re.compile(r"/claims/\d+$"))
