"""The officials' queues: what waits for whom, filters, overdue, paging, batch actions."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import update

from approvals.claims.models import Claim
from approvals.extensions import db
from tests.web.conftest import text


def _submit(
    api,
    policy="JMJ-PLAN",
    title="智能制造平台规划",
    evidence=("business_licence", "project_plan"),
    by="ent_huadong",  # one live claim per enterprise and policy: others file the rest
):
    ent = api(by)
    claim = ent.create_claim(policy_code=policy, title=title)
    for kind in evidence:
        assert ent.attach(claim["id"], kind).status_code == 201
    assert ent.fire(claim["id"], "submit").status_code == 200
    return claim["id"]


def _numbers(page: str) -> list[str]:
    return re.findall(r'<a href="/claims/\d+">([^<]+)</a>', page)


def test_reviewer_queue_shows_only_own_department(web, api):
    jmj = _submit(api, title="经贸项目")
    _submit(api, "KJJ-HITECH", "科技项目", ("business_licence", "certificate"))
    page = text(web("reviewer_jmj").get("/queue"))
    assert "经贸项目" in page and "科技项目" not in page
    assert f'href="/claims/{jmj}"' in page


def test_queue_filters_by_policy_and_overdue_and_sorts_oldest_first(
    seeded, web, api, make_enterprise
):
    first, second = _submit(api, title="甲项目"), _submit(api, title="乙项目", by=make_enterprise())
    other = _submit(
        api, "JMJ-INFRA", "丙项目", ("business_licence", "loan_contract", "interest_voucher")
    )
    reviewer = web("reviewer_jmj")
    page = text(reviewer.get("/queue"))
    assert page.index("甲项目") < page.index("乙项目") < page.index("丙项目")
    assert "乙项目" in text(reviewer.get("/queue?policy=JMJ-PLAN"))
    assert "丙项目" not in text(reviewer.get("/queue?policy=JMJ-PLAN"))
    newest = text(reviewer.get("/queue?order=newest"))
    assert newest.index("丙项目") < newest.index("甲项目")
    with seeded.app_context():
        db.session.execute(
            update(Claim).where(Claim.id == other).values(due_at=datetime(2020, 3, 1, tzinfo=UTC))
        )
        db.session.commit()
    late = text(reviewer.get("/queue?overdue=y"))
    assert "丙项目" in late and "甲项目" not in late and "已超期" in late
    assert "超期 1" in late
    assert first and second


def test_queue_pages_with_a_keyset_cursor(seeded, web, api, make_enterprise):
    seeded.config["QUEUE_PAGE_SIZE"] = 2
    ids = [_submit(api, title=f"项目{i}", by=make_enterprise()) for i in range(3)]
    reviewer = web("reviewer_jmj")
    page = text(reviewer.get("/queue"))
    assert f'href="/claims/{ids[2]}"' not in page
    after = re.search(r'href="/queue\?after=(\d+)', page).group(1)
    assert int(after) == ids[1]
    rest = text(reviewer.get(f"/queue?after={after}"))
    assert f'href="/claims/{ids[2]}"' in rest and f'href="/claims/{ids[0]}"' not in rest


def test_finance_approves_and_disburses_several_claims_at_once(
    web, api, make_enterprise, send_form
):
    reviewer = api("reviewer_jmj")
    ids = [_submit(api, title=f"批量{i}", by=make_enterprise()) for i in range(2)]
    for claim_id in ids:
        res = reviewer.fire(claim_id, "dept_approve", approved_amount="100000.00", comment="同意")
        assert res.status_code == 200
    send_form(*ids)
    finance = web("finance")
    page = text(finance.get("/queue"))
    chosen = re.findall(r'name="claims" value="([\d:]+)"', page)
    assert len(chosen) == 2
    chosen_form = {"trigger": "finance_approve", "comment": "同意", "claims": chosen}
    res = finance.post("/queue/batch", chosen_form | {"next": "/queue"})
    assert res.status_code == 200 and "请核对后确认" in text(res)  # nothing done yet
    res = finance.post("/queue/batch", chosen_form | {"next": "/queue", "confirmed": "1"})
    assert res.status_code == 302
    page = text(finance.get("/queue"))
    assert page.count("已办理，现为“待拨付”") == 2
    chosen = re.findall(r'name="claims" value="([\d:]+)"', page)
    res = finance.post(
        "/queue/batch",
        {
            "trigger": "disburse",
            "claims": chosen,
            "payment_reference": "CZ-2026-001",
            "confirmed": "1",
        },
    )
    page = text(finance.get("/queue"))
    assert page.count("已办理，现为“已拨付”") == 2
    for claim_id in ids:
        assert api("admin").claim(claim_id).json["state"] == "disbursed"


def test_batch_reports_each_failure_by_claim_number(web, api, send_form):
    claim_id = _submit(api)
    api("reviewer_jmj").fire(claim_id, "dept_approve", approved_amount="100000.00", comment="同意")
    send_form(claim_id)
    finance = web("finance")
    chosen = re.findall(r'name="claims" value="([\d:]+)"', text(finance.get("/queue")))
    approve = {"trigger": "finance_approve", "comment": "同意", "claims": chosen, "confirmed": "1"}
    finance.post("/queue/batch", approve)
    res = finance.post("/queue/batch", approve)  # the same page, sent again
    assert res.status_code == 422
    number = api("admin").claim(claim_id).json["number"]
    assert f"{number}（他人已先处理了该申报" in text(res)


def test_government_queue_holds_what_awaits_city_approval(web, api, send_form):
    claim_id = _submit(
        api, "JMJ-INFRA", "贴息项目", ("business_licence", "loan_contract", "interest_voucher")
    )
    api("reviewer_jmj").fire(claim_id, "dept_approve", approved_amount="50000.00", comment="同意")
    send_form(claim_id)
    assert "贴息项目" not in text(web("gov").get("/queue"))
    api("finance").fire(claim_id, "finance_approve", comment="同意")
    page = text(web("gov").get("/queue"))
    assert "贴息项目" in page and "待市政府审定" in page


def test_admin_overview_counts_claims_per_department(web, api):
    _submit(api)
    page = text(web("admin").get("/overview"))
    assert "JMJ" in page and "待初审" in page
