"""市府办's oversight page in the browser: the official signs in, finds 督查 in the menu, reads
a department's row and its chart, and reads the page again in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approvals.claims import services
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.browser.test_claim_journey import sign_in
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.browser


def test_city_office_opens_the_oversight_page(live_app, person):
    with live_app.app_context():
        owner = db.session.scalar(select(User).filter_by(username="ent_jiangnan"))
        claim = services.create_claim(owner, "JMJ-PLAN", "智能工厂规划", "1000.00")
        for kind in claim.policy.required_evidence:
            services.add_attachment(owner, claim.id, PDF_BYTES, "证明.pdf", kind)
        runtime.advance(owner, claim.id, "submit", version=claim.version)
    page = person()
    sign_in(page, "gov")
    page.click("nav.mainnav a:text-is('督查')")
    expect(page.locator("h1")).to_contain_text("督查")
    row = page.locator("#oversight-figures tr[data-department=JMJ]")
    expect(row).to_contain_text("市经贸局")
    expect(row.locator("td").nth(2)).to_have_text("1")  # received
    chart = page.locator("figure.department-chart[data-department=JMJ] svg")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(4)
    page.click("a[hreflang=en]")
    expect(page.locator("h1")).to_contain_text("Oversight")
    expect(page.locator("#oversight-figures h2")).to_have_text("Claims by department")
    expect(page.locator("#oversight-stages h2")).to_have_text("Median days per stage")
    expect(row).to_contain_text("Economic & Trade Bureau")
