"""A notice still being rendered, as its claimant sees it: listed as 正在生成 without a link,
and linked on the same page, without a reload, once the outbox has rendered it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approvals.claims import services
from approvals.extensions import db
from approvals.notices import outbox
from approvals.organisations.models import User
from approvals.workflow import runtime
from tests.browser.test_claim_journey import sign_in
from tests.conftest import PDF_BYTES

pytestmark = pytest.mark.browser


def test_a_pending_notice_turns_into_its_link_when_rendered(live_app, person, monkeypatch):
    with live_app.app_context():
        owner = db.session.scalar(select(User).filter_by(username="ent_jiangnan"))
        claim = services.create_claim(owner, "JMJ-PLAN", "待生成的受理通知书", "1000.00")
        for kind in claim.policy.required_evidence:
            services.add_attachment(owner, claim.id, PDF_BYTES, "证明.pdf", kind)

        def dies(notice):
            raise RuntimeError("the renderer died")

        monkeypatch.setattr(outbox, "pdf_of", dies)  # the commit stands, the render is lost
        runtime.advance(owner, claim.id, "submit", version=claim.version)
        monkeypatch.undo()
        claim_id = claim.id
    page = person()
    sign_in(page, "ent_jiangnan")
    page.goto(f"/claims/{claim_id}")
    pending = page.locator("[data-pending-notice]")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text("正在生成")
    with live_app.app_context():
        assert outbox.render_pending() == (1, 0)  # as `flask render-pending` would
    link = page.locator("ul.notices a[href$='.pdf']")
    expect(link).to_have_count(1, timeout=10000)  # app.js asks until the file answers
    expect(page.locator("[data-pending-badge]")).to_have_count(0)
