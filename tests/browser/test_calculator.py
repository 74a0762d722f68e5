"""政策计算器 in the browser: an anonymous visitor types its figures and sees a clause it
qualifies for with the estimated amount; an enterprise registers a qualification in its
profile (一企一档) and the calculator then lists the clause that asks for it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from approvals.clock import local_today
from tests.browser.test_claim_journey import sign_in
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.browser


def test_a_visitor_sees_a_qualifying_clause_with_its_estimated_amount(person):
    page = person()
    page.goto("/")
    page.click("footer a[href='/calculator']")
    page.fill("#industry_code", "C3511")
    page.fill("#investment", "12000000")
    page.click("#calculate")
    result = page.locator("#qualifying #result-JMJ-RENOVATION")
    expect(result).to_be_visible()
    expect(result.locator(".estimate-amount")).to_have_text("1,000,000.00")
    expect(result.locator(".computation")).to_contain_text("资助比例 10%")
    expect(result.locator("a[href='/guides/JMJ-RENOVATION']").first).to_be_visible()


def test_a_qualification_in_the_profile_makes_the_calculator_list_the_clause(person, live_app):
    with live_app.app_context():
        until = (local_today() + timedelta(days=365)).isoformat()
    page = person()
    sign_in(page, "ent_jiangnan")
    page.goto("/calculator")
    expect(page.locator("#from-profile")).to_be_visible()
    expect(page.locator("#qualifying #result-KJJ-HITECH")).to_have_count(0)

    page.click("nav.mainnav a:text-is('企业信息')")
    page.click("#facts-link a")
    page.select_option("#kind", "high_tech")
    page.fill("#certificate_number", "GR202533009999")
    page.fill("#valid_until", until)
    page.set_input_files(
        "#file",
        {"name": "高新技术企业证书.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    page.click("#qualification ~ form button[type=submit]")
    expect(page.locator("#qualifications tr[data-kind='high_tech']")).to_contain_text(until)

    page.goto("/calculator")
    result = page.locator("#qualifying #result-KJJ-HITECH")
    expect(result).to_be_visible()
    expect(result.locator(".estimate-amount")).to_have_text("200,000.00")
    expect(result.locator("a[href='/calculator/claim/KJJ-HITECH']")).to_be_visible()
