"""A claim's whole journey in a real browser, from sign-up to the payout notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from approvals.organisations.credit_code import make_credit_code
from tests.browser.conftest import fill_profile, shoot
from tests.conftest import PASSWORD, PDF_BYTES
from tests.recognition_forms.helpers import send_form

pytestmark = pytest.mark.browser


def sign_in(page, username, password=PASSWORD):
    page.goto("/signin")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("main button[type=submit]")


def act(page, trigger, **fields):
    """Fill the claim page's decision form and take one of its moves."""
    for name, value in fields.items():
        page.fill(f"#decision-{name}", value)
    page.click(f"button[value={trigger}]")


def upload(page, tmp_path, kind, filename):
    path = tmp_path / filename
    path.write_bytes(PDF_BYTES)
    page.select_option("#kind", kind)
    page.set_input_files("#file", str(path))
    page.click("form.upload button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text(filename)


def open_from_queue(page, number):
    page.goto("/queue")
    page.click(f'table a:text-is("{number}")')


# The enterprise's side at desktop width and on a 390 px phone (issue 16), the officials at
# their desks; each run signs up its own enterprise, and only the desktop one is photographed.
PHONE = {"width": 390, "height": 844}
JOURNEYS = {
    "desktop": (None, "东方智造科技有限公司", "91330100MA2H9J0K1", "dongfang"),
    "phone": (PHONE, "南方智造科技有限公司", "91330100MA2H9J0K2", "nanfang"),
}


def _fits(page) -> bool:
    """No sideways scrolling: the page is no wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("journey", JOURNEYS)
def test_enterprise_claim_from_sign_up_to_payout_notice(person, live_app, tmp_path, journey):
    viewport, name, credit_code, username = JOURNEYS[journey]
    snap = shoot if viewport is None else lambda _page, _name: None
    # An enterprise signs up (in Chinese, the default) and drafts a claim.
    ent = person()
    if viewport:
        ent.set_viewport_size(viewport)
    ent.goto("/signup")
    ent.fill("#enterprise_name", name)
    ent.fill("#credit_code", make_credit_code(credit_code))
    ent.fill("#username", username)
    ent.fill("#display_name", "王经理")
    ent.fill("#password", "secret-pass-2026")
    ent.fill("#confirm", "secret-pass-2026")
    snap(ent, "01-sign-up")
    ent.click("main button[type=submit]")
    expect(ent.locator("h1")).to_have_text("我的申报")
    fill_profile(ent, name, "6217 0000 1234 5678")  # nothing is paid without it
    ent.goto("/policies")
    snap(ent, "02-policies")
    ent.click("a[href='/claims/new?policy=JMJ-INFRA']")
    ent.fill("#project_title", "智能工厂基础设施贷款贴息")
    ent.fill("#requested_amount", "800000")
    ent.click("main button[type=submit]")
    number = ent.locator("dd.code").first.inner_text()
    for kind in ("business_licence", "loan_contract", "interest_voucher"):
        upload(ent, tmp_path, kind, f"{kind}-证明.pdf")
    expect(ent.locator("#evidence a", has_text="interest_voucher-证明.pdf")).to_be_visible()
    snap(ent, "03-claim-draft")
    assert _fits(ent)
    act(ent, "submit")
    expect(ent.locator(".page-head .state")).to_contain_text("待初审")

    # The department reviewer finds it in the queue and returns it for supplement.
    reviewer = person()
    sign_in(reviewer, "reviewer_jmj")
    expect(reviewer).to_have_url(re.compile(r"/queue$"))
    snap(reviewer, "04-reviewer-queue")
    open_from_queue(reviewer, number)
    reviewer.fill("#decision-comment", "请补充贷款银行出具的付息清单")
    snap(reviewer, "05-review-page")
    act(reviewer, "return_for_supplement")
    expect(reviewer.locator(".page-head .state")).to_contain_text("待补正")

    # The enterprise switches to English, reads the reasons, adds a file and resubmits.
    ent.goto("/claims")
    ent.click("a[hreflang=en]")
    expect(ent.locator("nav a").first).to_have_text("My claims")
    ent.click(f'table a:text-is("{number}")')
    expect(ent.locator(".callout:has(.comment)")).to_contain_text("请补充贷款银行出具的付息清单")
    upload(ent, tmp_path, "interest_voucher", "付息清单.pdf")
    snap(ent, "06-returned-in-english")
    act(ent, "submit")
    expect(ent.locator(".page-head .state")).to_contain_text("Awaiting preliminary review")

    # The reviewer approves an assessed amount; finance approves; the government approves.
    open_from_queue(reviewer, number)
    act(reviewer, "dept_approve", approved_amount="600000", comment="材料齐全，同意按60万元贴息")
    expect(reviewer.locator(".page-head .state")).to_contain_text("待报送认定表")
    send_form(live_app, number)  # 经贸局's 申请认定表 (tests/recognition_forms drives its pages)
    finance = person()
    sign_in(finance, "finance")
    open_from_queue(finance, number)
    act(finance, "finance_approve", comment="预算充足，报市政府审定")
    gov = person()
    sign_in(gov, "gov")
    open_from_queue(gov, number)
    act(gov, "gov_approve", comment="同意")
    expect(gov.locator(".page-head .state")).to_contain_text("待拨付")

    # Finance disburses from its queue, choosing the claim among those awaiting payout.
    finance.goto("/queue?state=approved")
    finance.check(f"input[aria-label='{number}']")
    finance.select_option("#trigger", "disburse")
    finance.fill("#payment_reference", "CZ-2026-0088")
    snap(finance, "07-finance-batch")
    finance.click("#batch .batch-bar button")
    expect(finance.locator("#confirm-count")).to_have_text("1")  # checked before it is done
    finance.click("#confirm-do")
    expect(finance.locator(".flashes")).to_contain_text("已拨付")

    # The enterprise sees the payout and downloads the payout notice.
    ent.reload()
    expect(ent.locator(".page-head .state")).to_contain_text("Disbursed")
    snap(ent, "08-disbursed-with-notices")
    assert _fits(ent)
    with ent.expect_download() as download:
        ent.click("text=Payout notice")
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    ent.click("text=Sign out")
    expect(ent).to_have_url(re.compile(r"/signin$"))
