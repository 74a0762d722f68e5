"""Every clause has a public guide (申兑指南) and the home page lists the clauses, searchable,
filtered and sorted, for visitors who are not signed in."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from tests.conftest import PDF_BYTES
from tests.web.conftest import text


def _listed(html: str) -> list[str]:
    return re.findall(r'data-policy="([^"]+)"', html)


def _today(app) -> date:
    from approvals.clock import local_today

    with app.app_context():
        return local_today()  # the city's date, which the pages count from


def test_home_page_lists_open_clauses_with_days_left_and_links(seeded, make_policy):
    code = make_policy(title_zh="指南测试条款", window_close=_today(seeded) + timedelta(days=5))
    html = text(seeded.test_client().get("/"))
    assert code in _listed(html)
    item = html.split(f'data-policy="{code}"')[1].split("</li>")[0]
    assert f'href="/guides/{code}"' in item
    assert re.search(r"days-left closing\">[^<]*5", item)


def test_search_by_title_department_and_funding_type(seeded, make_policy):
    loan = make_policy(title_zh="搜索专用贴息条款", funding_type="loan_interest", department="KJJ")
    grant = make_policy(title_zh="另一个资助条款", funding_type="grant")
    client = seeded.test_client()
    assert _listed(text(client.get("/?q=搜索专用"))) == [loan]
    assert loan in _listed(text(client.get("/?q=市科技局")))
    by_type = _listed(text(client.get("/?funding_type=loan_interest")))
    assert loan in by_type and grant not in by_type
    by_dept = _listed(text(client.get("/?department=KJJ")))
    assert loan in by_dept and grant not in by_dept
    assert _listed(text(client.get("/?q=%25%25"))) == []  # a wildcard is a character


def test_sorting_by_closing_date_and_by_amount(seeded, make_policy):
    soon = make_policy(cap=Decimal("1000"), window_close=date.today() + timedelta(days=1))
    later = make_policy(cap=Decimal("9000000"), window_close=date.today() + timedelta(days=90))
    client = seeded.test_client()
    closing = _listed(text(client.get("/?sort=closing")))
    assert closing.index(soon) < closing.index(later)
    amount = _listed(text(client.get("/?sort=amount")))
    assert amount.index(later) < amount.index(soon)
    assert client.get("/?sort=nonsense&status=x&department=NOPE").status_code == 200


def test_upcoming_clauses_are_filtered_apart(seeded, make_policy):
    today = _today(seeded)
    upcoming = make_policy(
        window_open=today + timedelta(days=3), window_close=today + timedelta(days=30)
    )
    client = seeded.test_client()
    assert upcoming in _listed(text(client.get("/?status=upcoming")))
    assert upcoming not in _listed(text(client.get("/?status=open")))


def test_a_signed_in_user_still_goes_home(seeded, web):
    res = web("ent_huadong").get("/")
    assert res.status_code == 302 and res.headers["Location"].endswith("/claims")


def test_a_clause_page_shows_its_guide_signed_out(seeded):
    html = text(seeded.test_client().get("/guides/JMJ-PLAN"))
    for section in ("supports", "qualifies", "amount", "materials", "basis", "department", "steps"):
        assert f'id="{section}"' in html
    assert "张明" in html and "0573-82100101" in html  # the department's contact
    assert 'data-kind="business_licence"' in html and "营业执照副本扫描件" in html
    steps = re.findall(r'data-stage="(\w+)"', html.split('id="steps"')[1])
    assert steps[:2] == ["filing", "review"] and "payout" in steps
    assert re.search(r"截止 \d{4}-02-2[89]", html)  # 初审 by the end of February


def test_unknown_clause_is_404(seeded):
    assert seeded.test_client().get("/guides/NOPE-1").status_code == 404


def test_admin_adds_contact_description_and_sample_shown_publicly(seeded, web):
    admin = web("admin")
    page = text(admin.get("/guides/admin/JMJ-PLAN"))
    assert 'name="description_business_licence"' in page
    res = admin.post(
        "/guides/admin/JMJ-PLAN",
        {
            "contact_name": "钱科长",
            "contact_phone": "0573-88888888",
            "description_business_licence": "加盖公章的营业执照副本",
            "sample_business_licence": (BytesIO(PDF_BYTES), "营业执照样例.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert res.status_code == 302, text(res)
    public = seeded.test_client()
    html = text(public.get("/guides/JMJ-PLAN"))
    assert "钱科长" in html and "加盖公章的营业执照副本" in html
    assert "营业执照样例.pdf" in html
    with public.get("/guides/JMJ-PLAN/materials/business_licence/sample") as sample:
        assert sample.status_code == 200 and sample.data == PDF_BYTES
        assert sample.headers["Content-Type"] == "application/pdf"


def test_the_guide_makes_no_new_version_of_the_clause(seeded, web):
    from approvals.extensions import db
    from approvals.policies.models import Policy

    with seeded.app_context():
        before = db.session.scalar(db.select(Policy.version).filter_by(code="JMJ-PLAN"))
    res = web("admin").post("/guides/admin/JMJ-PLAN", {"contact_name": "孙", "contact_phone": "1"})
    assert res.status_code == 302
    with seeded.app_context():
        assert db.session.scalar(db.select(Policy.version).filter_by(code="JMJ-PLAN")) == before


def test_a_sample_that_is_no_document_is_refused(seeded, web):
    res = web("admin").post(
        "/guides/admin/JMJ-PLAN",
        {"sample_business_licence": (BytesIO(b"MZ\x90\x00 not a document"), "样表.pdf")},
        content_type="multipart/form-data",
    )
    assert res.status_code == 422
    assert 'aria-invalid="true"' in text(res)


def test_only_the_administrator_edits_guides(seeded, web):
    assert web("reviewer_jmj").get("/guides/admin/JMJ-PLAN").status_code == 403
    assert seeded.test_client().get("/guides/admin/JMJ-PLAN").status_code == 302


def test_no_sample_is_404(seeded):
    res = seeded.test_client().get("/guides/JMJ-PLAN/materials/business_licence/sample")
    assert res.status_code == 404
