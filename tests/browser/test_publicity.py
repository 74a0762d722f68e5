"""The public publicity page in the browser: a visitor who is not signed in finds 公示 in the
footer, opens a list, and lodges an objection with contact details and an evidence file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from approvals.claims import services
from approvals.extensions import db
from approvals.organisations.models import User
from approvals.policies.models import Policy
from approvals.publicity import services as publicity
from approvals.publicity.models import Objection
from approvals.workflow import runtime
from tests.conftest import PDF_BYTES
from tests.recognition_forms.helpers import send_form

pytestmark = pytest.mark.browser


def _user(username: str) -> User:
    return db.session.scalar(select(User).filter_by(username=username))


def _approved_and_published(app) -> str:
    """A claim of 江南 under 经贸局's planning clause, approved by finance and published."""
    with app.app_context():
        policy = db.session.scalar(select(Policy).filter_by(code="JMJ-PLAN"))
        policy.publicity_days = 5
        db.session.commit()
        owner = _user("ent_jiangnan")
        claim = services.create_claim(owner, "JMJ-PLAN", "数字化车间规划", "1000.00")
        for kind in claim.policy.required_evidence:
            services.add_attachment(owner, claim.id, PDF_BYTES, "证明.pdf", kind)
        steps = [
            (owner, "submit", {}),
            (
                _user("reviewer_jmj"),
                "dept_approve",
                {"approved_amount": "1000.00", "comment": "同意"},
            ),
        ]
        for who, trigger, values in steps:
            version = db.session.get(type(claim), claim.id, populate_existing=True).version
            runtime.advance(who, claim.id, trigger, version=version, **values)
        send_form(app, claim.id)
        version = db.session.get(type(claim), claim.id, populate_existing=True).version
        runtime.advance(
            _user("finance"), claim.id, "finance_approve", version=version, comment="同意"
        )
        publicity.publish(_user("finance"), "JMJ-PLAN")
        return owner.enterprise.name


def test_an_anonymous_visitor_lodges_an_objection(live_app, person, tmp_path):
    enterprise = _approved_and_published(live_app)
    page = person()
    page.goto("/")
    page.click("footer a:text-is('公示')")
    expect(page.locator("h1")).to_contain_text("拟兑现项目公示")
    page.click("#publicities a")
    row = page.locator("#items tr", has_text=enterprise)
    expect(row).to_contain_text("1,000.00")
    row.locator("a:text-is('提出异议')").click()
    page.fill("#name", "赵先生")
    page.fill("#phone", "13900002222")
    page.fill("#grounds", "据了解该规划未实际编制，请核实。")
    evidence = tmp_path / "说明.pdf"
    evidence.write_bytes(PDF_BYTES)
    page.set_input_files("#evidence", str(evidence))
    page.click("#objection-form button[type=submit]")
    expect(page.locator(".flash-success")).to_contain_text("异议已受理")
    expect(page.locator("#objections")).to_contain_text("处理中")
    expect(page.locator("#objections")).not_to_contain_text("赵先生")
    with live_app.app_context():
        lodged = db.session.scalar(select(Objection))
        assert (lodged.objector_name, lodged.objector_phone) == ("赵先生", "13900002222")
        assert lodged.evidence_size == len(PDF_BYTES)
