"""The decision form: one opinion box per decision, never lost on a refusal, the approved
amount prefilled, and an opinion on every official decision that a notice prints."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from approvals.config import REPO_ROOT
from approvals.extensions import db
from approvals.policies.models import Policy
from approvals.workflow.spec import parse
from tests.web.conftest import text

OFFICIALS = {"reviewer", "finance", "government"}
# Operational steps that carry their own data instead of an opinion: the payment reference,
# and the recovery's figures, which the recovery notices print from the case's record.
OPERATIONAL = {"disburse", "record_repayment", "close_recovery"}


def _version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


def _page(client, claim_id: int) -> str:
    return text(client.get(f"/claims/{claim_id}"))


def test_the_claim_page_has_one_decision_form_with_one_opinion_box(web, submitted_claim):
    page = _page(web("reviewer_jmj"), submitted_claim)
    assert page.count(f'action="/claims/{submitted_claim}/act"') == 1
    assert page.count('name="comment"') == 1
    form = page.split(f'action="/claims/{submitted_claim}/act"', 1)[1].split("</form>", 1)[0]
    moves = re.findall(r'name="trigger" value="(\w+)"', form)
    assert moves == ["return_for_supplement", "transfer", "dept_approve", "dept_reject"]


def test_a_refused_decision_keeps_what_was_typed(web, submitted_claim):
    reviewer = web("reviewer_jmj")
    opinion = "材料齐全，项目规划编制费用真实，同意按申报金额补助。"
    res = reviewer.act(
        submitted_claim,
        "dept_approve",
        _version(_page(reviewer, submitted_claim)),
        approved_amount="120000.01",  # above the request
        comment=opinion,
    )
    assert res.status_code == 422
    page = text(res)
    assert "核定金额不能超过申报金额" in page
    assert opinion in page and 'value="120000.01"' in page
    assert page.count('name="comment"') == 1  # the same one box, with the text in it


def test_a_decision_refused_because_someone_acted_first_keeps_the_opinion(web, submitted_claim):
    first, second = web("reviewer_jmj"), web("reviewer_jmj")
    seen = _version(_page(second, submitted_claim))
    first.act(submitted_claim, "return_for_supplement", seen, comment="请补充预算明细")
    res = second.act(submitted_claim, "dept_reject", seen, comment="不符合申报条件，不予支持")
    assert res.status_code == 409
    page = text(res)
    assert "他人已先处理了该申报" in page and "待补正" in page
    assert "不符合申报条件，不予支持" in page


def test_the_approved_amount_is_prefilled_with_the_request(web, submitted_claim):
    page = _page(web("reviewer_jmj"), submitted_claim)
    assert re.search(r'id="decision-approved_amount"[^>]*value="120000.00"', page)


def test_the_approved_amount_is_prefilled_under_the_terms_the_claim_was_filed_under(
    seeded, web, api
):
    ent = api("ent_huadong")
    claim = ent.create_claim("JMJ-TECHCENTRE", "300000.00", "企业技术中心")  # a fixed 300 000
    for kind in ("business_licence", "certificate"):
        ent.attach(claim["id"], kind)
    ent.fire(claim["id"], "submit")
    with seeded.app_context():  # the clause's cap lowered after the claim was filed
        db.session.execute(update(Policy).where(Policy.code == "JMJ-TECHCENTRE").values(cap=250000))
        db.session.commit()
    page = _page(web("reviewer_jmj"), claim["id"])
    assert re.search(r'id="decision-approved_amount"[^>]*value="300000.00"', page)


def test_an_enterprise_gets_its_moves_without_an_opinion_box(web, api):
    claim = api("ent_huadong").create_claim()
    page = _page(web("ent_huadong"), claim["id"])
    assert 'name="comment"' not in page
    assert re.findall(r'name="trigger" value="(\w+)"', page) == ["submit", "withdraw"]


# Every decision a notice prints carries an opinion -------------------------------------


def test_every_official_decision_requires_an_opinion():
    spec = parse(REPO_ROOT / "workflows" / "enterprise_claim" / "v1.toml")
    for t in spec.transitions:
        # A move the enterprise takes too (submitting) is the claimant's, not a decision, even
        # when an official files it as the claimant's agent (全程代办).
        claimants = "enterprise" in t.roles
        if OFFICIALS & set(t.roles) and t.notice and t.trigger not in OPERATIONAL and not claimants:
            assert "comment" in t.requires, f"{t.trigger} prints a notice without an opinion"


@pytest.mark.parametrize(
    ("trigger", "who"), [("finance_approve", "finance"), ("gov_approve", "gov")]
)
def test_finance_and_government_approvals_need_an_opinion(api, trigger, who, send_form):
    ent = api("ent_huadong")
    claim = ent.create_claim("JMJ-INFRA", "50000.00", "贴息项目")  # goes to the government
    for kind in ("business_licence", "loan_contract", "interest_voucher"):
        ent.attach(claim["id"], kind)
    ent.fire(claim["id"], "submit")
    api("reviewer_jmj").fire(claim["id"], "dept_approve", approved_amount="50000", comment="同意")
    send_form(claim["id"])
    if trigger == "gov_approve":
        api("finance").fire(claim["id"], "finance_approve", comment="同意，报市政府审定")
    res = api(who).fire(claim["id"], trigger)
    assert res.status_code == 422
    assert res.json["error"]["fields"]["comment"] == "请填写意见或理由"
    res = api(who).fire(claim["id"], trigger, comment="经审核，同意")
    assert res.status_code == 200, res.json
    assert res.json["history"][-1]["comment"] == "经审核，同意"
