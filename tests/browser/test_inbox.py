"""The inbox and the supervision page in the browser: an enterprise sees its unread count in
the header, reads the message about its claim's return for supplement and the count goes
down; a 市府办 official opens the supervision page (督办) and downloads a 督办通知."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approvals import ticking
from approvals.claims import services
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.browser.test_claim_journey import sign_in
from tests.conftest import PDF_BYTES
from tests.supervision.conftest import SUPERVISION, pdf_text

pytestmark = pytest.mark.browser


def _user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def _submitted(live_app, username: str, project: str) -> int:
    """A JMJ-PLAN claim of `username`'s enterprise, with its evidence, submitted."""
    with live_app.app_context():
        owner = _user(username)
        claim = services.create_claim(owner, "JMJ-PLAN", project, "1000.00")
        for kind in claim.policy.required_evidence:
            services.add_attachment(owner, claim.id, PDF_BYTES, "证明.pdf", kind)
        runtime.advance(owner, claim.id, "submit", version=claim.version)
        return claim.id


def test_an_enterprise_reads_the_message_about_its_claim(live_app, person):
    claim_id = _submitted(live_app, "ent_huadong", "数控机床改造")
    with live_app.app_context():
        claim = services.get_visible(_user("reviewer_jmj"), claim_id)
        runtime.advance(
            _user("reviewer_jmj"),
            claim_id,
            "return_for_supplement",
            version=claim.version,
            comment="请补充近三年审计报告",
            supplement_days=10,
        )
    page = person()
    sign_in(page, "ent_huadong")
    count = page.locator("#inbox-link .unread-count")
    expect(count).to_have_text("2")  # 受理 and 补正
    page.click("#inbox-link")
    expect(page.locator("h1")).to_have_text("站内信")
    page.click("table.messages a:has-text('请补正申报材料')")
    opened = page.locator("section.panel[id^=message-]")
    expect(opened).to_contain_text("请补充近三年审计报告")
    expect(opened.locator("a", has_text="查看申报")).to_be_visible()
    expect(count).to_have_text("1")
    expect(page.locator("#unread-summary")).to_contain_text("1")


def test_the_city_office_opens_a_supervision_notice(live_app, person, tmp_path):
    claim_id = _submitted(live_app, "ent_jiangnan", "智能仓储系统")
    with live_app.app_context():
        lines = ticking.run(datetime.fromisoformat(SUPERVISION))
        assert any("deadline.supervise: 府办兑" in line for line in lines), lines
        number = services.get_visible(_user("admin"), claim_id).number
    page = person()
    sign_in(page, "gov")
    page.click("nav.mainnav a:text-is('督办')")
    expect(page.locator("h1")).to_contain_text("督办")
    row = page.locator("#supervisions tr[data-department=JMJ]").first
    expect(row).to_contain_text("待初审")
    link = row.locator("a", has_text=re.compile("府办兑〔2027〕"))
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "supervision.pdf"
    download.value.save_as(path)
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF-")
    assert number in pdf_text(data) and "示范市经济贸易局" in pdf_text(data)
