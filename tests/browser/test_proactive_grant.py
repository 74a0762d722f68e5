"""免申即享 in the browser: 经贸局's official imports a list of eligible enterprises for its
proactive clause and reads the report of the rows it refused; the enterprise finds the offer
in its inbox, opens it and confirms with one click, and the claim goes to finance."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approvals.claims.models import Claim
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.proactive.demo import CLAUSE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _signin(page, username: str) -> None:
    page.goto("/signin")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")


def _list(app, tmp_path):
    with app.app_context():
        huadong = db.session.scalar(select(User).filter_by(username="ent_huadong")).enterprise
        rows = [
            "统一社会信用代码,企业名称,符合条件事实",
            f"{huadong.credit_code},{huadong.name},2026年度新认定为省级专精特新中小企业",
            "91330100,不存在的企业有限公司,新认定",
        ]
    path = tmp_path / "专精特新名单.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_department_imports_a_list_and_the_enterprise_confirms(live_app, person, tmp_path):
    official = person()
    _signin(official, "reviewer_jmj")
    official.click("nav.mainnav a:text-is('免申即享')")
    official.click(f"#proactive-clauses a:has-text('{CLAUSE}')")
    official.set_input_files("#file", str(_list(live_app, tmp_path)))
    official.click("#import button[type=submit]")
    expect(official.locator("#offered-count")).to_have_text("1")
    expect(official.locator("#rejected-row-3")).to_contain_text("18位")

    enterprise = person()
    _signin(enterprise, "ent_huadong")
    enterprise.click("#inbox-link")
    enterprise.click("table.messages a:has-text('免申即享')")
    enterprise.click("a:text-is('查看申报')")
    expect(enterprise.locator("h1")).to_contain_text("专精特新")
    enterprise.click("button[value=accept_offer]")
    expect(enterprise.locator(".flash-success")).to_be_visible()
    with live_app.app_context():
        claim = db.session.scalar(select(Claim).filter_by(workflow="proactive_grant"))
        assert claim.state == "finance_review" and claim.submitted_at is not None
