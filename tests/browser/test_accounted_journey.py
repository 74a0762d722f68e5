"""Every yuan accounted for, in a real browser: a new enterprise with its payee account, a
return with a 补正期限 answered after the call window closed, a batch scaled down pro rata,
and a payout notice that states what was approved, paid and cut, to a masked account."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from approvals.clock import current_time
from approvals.extensions import db
from approvals.notices.numerals import to_capital_yuan
from approvals.organisations.credit_code import make_credit_code
from approvals.policies.models import Policy
from approvals.workflow.calendar import add_working_days, load_overrides
from tests.browser.conftest import fill_profile, shoot
from tests.browser.test_claim_journey import act, open_from_queue, sign_in, upload
from tests.conftest import PASSWORD, ApiClient
from tests.recognition_forms.helpers import send_form

pytestmark = pytest.mark.browser

COMPANY = "青峰智能装备有限公司"
ACCOUNT = "6222 0812 0300 4567 890"  # typed in groups, as printed on a bank card
ACCOUNT_DIGITS = ACCOUNT.replace(" ", "")
MASKED = "**** **** 7890"
POLICY = "JMJ-PLAN"  # 工业平台规划编制经费: paid directly after finance's approval
SUPPLEMENT_DAYS = 5
BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def other_approved_claim(live_app):
    """华东精密机械's claim under the same policy, approved for 50,000 through the API while
    the window is still open: the batch needs more than the one claim the browser walks."""
    client = live_app.test_client()
    token = {}
    for username in ("ent_huadong", "reviewer_jmj", "finance"):
        res = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        assert res.status_code == 200, res.json
        token[username] = ApiClient(client, res.json["token"])
    ent, reviewer, finance = token.values()
    claim = ent.create_claim(POLICY, amount="50000.00", title="园区数字化规划")
    for kind in ("business_licence", "project_plan"):
        assert ent.attach(claim["id"], kind).status_code == 201
    for who, trigger, payload in [
        (ent, "submit", {}),
        (reviewer, "dept_approve", {"approved_amount": "50000.00", "comment": "同意"}),
        (None, "forward_to_finance", {}),  # on 经贸局's 申请认定表
        (finance, "finance_approve", {"comment": "同意"}),
    ]:
        if who is None:
            send_form(live_app, claim["id"])
            continue
        res = who.fire(claim["id"], trigger, **payload)
        assert res.status_code == 200, res.json
    return claim["number"]


def close_call_window(live_app, policy_code: str) -> None:
    """What an administrator would do: there is no policy editor yet, so the window's last
    day is set to yesterday (Beijing date) in the live server's database directly."""
    with live_app.app_context():
        today = current_time().astimezone(BEIJING).date()
        policy = db.session.scalar(db.select(Policy).filter_by(code=policy_code))
        policy.window_close = today - timedelta(days=1)
        db.session.commit()


def expected_supplement_due(live_app):
    """The 补正期限 the reviewer's 5 working days give today, on the PRC calendar."""
    with live_app.app_context():
        today = current_time().astimezone(BEIJING).date()
        return add_working_days(today, SUPPLEMENT_DAYS, load_overrides()).due


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_scaled_payout_reaches_the_masked_account_after_a_late_supplement(
    person, live_app, other_approved_claim, tmp_path
):
    # A new enterprise signs up and fills 企业信息 with its payee account.
    ent = person()
    ent.goto("/signup")
    ent.fill("#enterprise_name", COMPANY)
    ent.fill("#credit_code", make_credit_code("91330100MA2P4Q5R6"))
    ent.fill("#username", "qingfeng")
    ent.fill("#display_name", "刘会计")
    ent.fill("#password", "qingfeng-pass-2026")
    ent.fill("#confirm", "qingfeng-pass-2026")
    ent.click("main button[type=submit]")
    expect(ent.locator("h1")).to_have_text("我的申报")
    fill_profile(ent, COMPANY, ACCOUNT, bank_name="中国农业银行示范市分行")
    expect(ent.locator("#payee-problem")).to_have_count(0)  # the account is complete
    expect(ent.locator("#payee-changes")).to_contain_text(MASKED)
    expect(ent.locator("#bank_account")).to_have_value(ACCOUNT_DIGITS)
    shoot(ent, "09-enterprise-profile")

    # It files a claim under a demo policy with its evidence, and submits.
    ent.goto("/policies")
    ent.click(f"a[href='/claims/new?policy={POLICY}']")
    ent.fill("#project_title", "智能装备产业园规划编制")
    ent.fill("#requested_amount", "200000")
    ent.click("main button[type=submit]")
    number = ent.locator("dd.code").first.inner_text()
    for kind in ("business_licence", "project_plan"):
        upload(ent, tmp_path, kind, f"{kind}.pdf")
    act(ent, "submit")
    expect(ent.locator(".page-head .state")).to_contain_text("待初审")

    # The department reviewer returns it for supplement within 5 working days.
    reviewer = person()
    sign_in(reviewer, "reviewer_jmj")
    open_from_queue(reviewer, number)
    act(
        reviewer,
        "return_for_supplement",
        supplement_days=str(SUPPLEMENT_DAYS),
        comment="请补充规划编制合同及付款凭证",
    )
    expect(reviewer.locator(".page-head .state")).to_contain_text("待补正")

    # The enterprise sees the reasons and its 补正期限 with the working days left.
    due = expected_supplement_due(live_app).isoformat()
    ent.reload()
    supplement = ent.locator(".callout:has(.comment)")
    expect(supplement).to_contain_text("请补充规划编制合同及付款凭证")
    expect(supplement).to_contain_text(due)
    expect(supplement).to_contain_text(f"还剩 {SUPPLEMENT_DAYS} 个工作日")
    expect(ent.locator("#supplement-due")).to_contain_text(due)
    shoot(ent, "10-returned-with-deadline")

    # The call window closes; the resubmission is still accepted, within the 补正期限.
    close_call_window(live_app, POLICY)
    ent.goto("/policies")
    closed = ent.locator("tr", has=ent.locator(f"span.code:text-is('{POLICY}')"))
    expect(closed).to_contain_text("不在申报期")  # no new claim can be filed now
    ent.goto("/claims")
    ent.click(f'table a:text-is("{number}")')
    upload(ent, tmp_path, "project_plan", "规划编制合同及付款凭证.pdf")
    act(ent, "submit")
    expect(ent.locator(".flash-error")).to_have_count(0)
    expect(ent.locator(".page-head .state")).to_contain_text("待初审")

    # The reviewer approves 150,000 of the 200,000 asked; finance approves.
    open_from_queue(reviewer, number)
    act(reviewer, "dept_approve", approved_amount="150000", comment="核定规划编制费15万元")
    expect(reviewer.locator(".page-head .state")).to_contain_text("待报送认定表")
    send_form(live_app, number)  # 经贸局's 申请认定表 (tests/recognition_forms drives its pages)
    finance = person()
    sign_in(finance, "finance")
    open_from_queue(finance, number)
    act(finance, "finance_approve", comment="同意拨付")
    expect(finance.locator(".page-head .state")).to_contain_text("待拨付")

    # Finance composes a batch of the two approved claims (200,000 approved) and, with only
    # 150,000 available, scales it down pro rata: 75% of each.
    finance.goto("/finance/")
    payable = finance.locator("table.payable")
    for claim_number in (number, other_approved_claim):
        expect(payable.locator(f"input[aria-label='{claim_number}']")).to_be_checked()
    finance.click("#compose button[type=submit]")
    expect(finance.locator("#batch-total")).to_have_text("200,000.00")
    finance.select_option("select[name=policy_code]", POLICY)
    finance.fill("input[name=limit]", "150000")
    finance.click("form[action$='/scale'] button[type=submit]")
    expect(finance.locator(".flash-success")).to_contain_text("已按比例核减 2 项")
    expect(finance.locator("#batch-total")).to_have_text("150,000.00")
    row = finance.locator("table.items tr", has_text=number)
    expect(row).to_contain_text("112,500.00")  # paid
    expect(row).to_contain_text("37,500.00")  # reduced
    finance.locator("table.items").scroll_into_view_if_needed()  # the scaling and its items
    shoot(finance, "11-scaled-batch")

    # The confirmation page shows what will be paid before it is paid.
    finance.click("#confirm-batch")
    expect(finance.locator("#confirm-count")).to_have_text("2")
    expect(finance.locator("#confirm-total")).to_contain_text("150,000.00")
    expect(finance.locator("#confirm-payees")).to_contain_text(COMPANY)
    expect(finance.locator("#confirm-payees")).to_contain_text("华东精密机械有限公司")
    shoot(finance, "12-confirm-batch")
    finance.click("#confirm-do")
    expect(finance.locator("h1")).to_contain_text("已拨付")

    # The enterprise's claim: approved, paid and reduced, the account masked.
    ent.reload()
    expect(ent.locator(".page-head .state")).to_contain_text("已拨付")
    expect(ent.locator("#approved-amount")).to_have_text("150,000.00")
    expect(ent.locator("#paid-amount")).to_have_text("112,500.00")
    expect(ent.locator("#reduction")).to_have_text("37,500.00")
    expect(ent.locator("#reduction-reason")).to_contain_text("专项资金不足，按比例核减")
    expect(ent.locator("#payee")).to_contain_text(MASKED)
    assert ACCOUNT_DIGITS not in ent.content()
    shoot(ent, "13-paid-and-reduced")

    # Its payout notice (拨付通知书) states the same, in figures and in capitals.
    with ent.expect_download() as download:
        ent.click(".notices a:text-is('拨付通知书')")
    path = tmp_path / "payout-notice.pdf"  # kept with the test's files, to look at
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = pdf_text(path)
    compact = re.sub(r"\s+", "", text)
    for figures, amount in [("150,000.00", "150000"), ("112,500.00", "112500")]:
        assert figures in text
        assert to_capital_yuan(Decimal(amount)) in compact
    assert "37,500.00" in text and to_capital_yuan(Decimal("37500")) in compact
    assert "核减金额" in compact and "实拨金额" in compact
    assert "专项资金不足，按比例核减" in compact
    assert MASKED in text
    assert "中国农业银行示范市分行" in compact
    assert ACCOUNT_DIGITS not in compact and ACCOUNT_DIGITS[:8] not in compact
