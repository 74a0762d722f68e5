"""An anonymous visitor searches the home page, reads a policy's guide, checks a claim's
progress with its number and credit code, and verifies a notice PDF; the enterprise
follows its stepper. The guide and the progress page fit a 390 px phone screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approvals.claims import services
from approvals.extensions import db
from approvals.notices.models import Notice
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.browser.test_claim_journey import sign_in
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def filed(live_app):
    """A claim of 江南 under JMJ-PLAN, submitted: its number, credit code and receipt."""
    with live_app.app_context():
        owner = db.session.scalar(select(User).filter_by(username="ent_jiangnan"))
        claim = services.create_claim(owner, "JMJ-PLAN", "智能工厂规划", "50000.00")
        for kind in claim.policy.required_evidence:
            services.add_attachment(owner, claim.id, PDF_BYTES, "证明.pdf", kind)
        runtime.advance(owner, claim.id, "submit", version=claim.version)
        notice = db.session.scalar(select(Notice).where(Notice.claim_id == claim.id))
        return {
            "id": claim.id,
            "number": claim.number,
            "credit_code": owner.enterprise.credit_code,
            "code": notice.verification_code,
            "pdf": notice.pdf,
        }


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_visitor_reads_a_guide_checks_progress_and_verifies_a_notice(person, filed):
    page = person()
    page.goto("/")
    page.fill("input[name=q]", "平台规划")
    page.click("form.guide-search button[type=submit]")
    listed = page.locator("#guide-list [data-policy]")
    expect(listed.first).to_be_visible()
    page.click("#guide-list [data-policy='JMJ-PLAN'] a.guide-title")
    expect(page.locator("#materials [data-kind='business_licence']")).to_be_visible()
    expect(page.locator("#steps [data-stage='review']")).to_be_visible()
    expect(page.locator("#contact-phone")).not_to_have_text("—")

    page.click("footer a[href='/progress']")
    page.fill("#number", filed["number"])
    page.fill("#credit_code", filed["credit_code"])
    page.click("main form button[type=submit]")
    expect(page.locator("#progress-result")).to_be_visible()
    expect(page.locator("#progress-result [data-stage='filing']")).to_have_attribute(
        "data-status", "done"
    )
    expect(page.locator("#progress-result")).not_to_contain_text("智能工厂规划")

    page.click("footer a[href='/verify']")
    page.fill("#code", filed["code"].lower().replace("-", ""))
    page.click("main form button[type=submit]")
    page.set_input_files(
        "#file", files=[{"name": "回执.pdf", "mimeType": "application/pdf", "buffer": filed["pdf"]}]
    )
    page.click("#compare button[type=submit]")
    expect(page.locator("#genuine")).to_be_visible()


def test_the_enterprise_follows_its_stepper(person, filed):
    page = person()
    sign_in(page, "ent_jiangnan")
    page.goto(f"/claims/{filed['id']}")
    stepper = page.locator("#stepper")
    expect(stepper.locator("[data-stage='filing']")).to_have_attribute("data-status", "done")
    expect(stepper.locator("[data-stage='review']")).to_have_attribute("data-status", "current")
    expect(stepper.locator("[data-stage='review'] .step-deadline")).to_be_visible()
    expect(page.locator("#claim-notices a").first).to_be_visible()


def test_the_guide_and_the_progress_page_fit_a_phone(browser, live_server, filed):
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(5000)
    try:
        page = context.new_page()
        page.goto("/guides/JMJ-PLAN")
        expect(page.locator("#materials")).to_be_visible()
        assert _fits(page)
        page.goto("/progress")
        page.fill("#number", filed["number"])
        page.fill("#credit_code", filed["credit_code"])
        page.click("main form button[type=submit]")
        expect(page.locator("#progress-result")).to_be_visible()
        assert _fits(page)
    finally:
        context.close()
