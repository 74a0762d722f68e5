"""The supervision page (督办): 市府办 and the administrator see every 督办通知, a department
its own, each with its PDF; nobody else; and the oversight page counts them."""

from __future__ import annotations

import re

from tests.supervision.conftest import SUPERVISION, claim_number, pdf_text


def _supervised(submitted_on, tick) -> int:
    claim_id = submitted_on(on="2026-09-29T10:00")
    assert "deadline.supervise: 府办兑" in tick(SUPERVISION)
    return claim_id


def _pdf_links(html: str) -> list[str]:
    return re.findall(r'href="(/supervision/\d+\.pdf)"', html)


def test_the_city_office_and_the_department_open_the_notice(seeded, submitted_on, tick, web):
    claim_id = _supervised(submitted_on, tick)
    for username in ("gov", "admin", "reviewer_jmj", "leader_jmj"):
        client = web(username)
        page = client.get("/supervision")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        [link] = _pdf_links(html)
        assert "府办兑〔2027〕" in html and "待初审" in html
        res = client.get(link)
        assert res.status_code == 200 and res.mimetype == "application/pdf"
        assert claim_number(seeded, claim_id) in pdf_text(res.data)


def test_another_department_sees_none_of_it_and_others_are_refused(seeded, submitted_on, tick, web):
    _supervised(submitted_on, tick)
    [link] = _pdf_links(web("gov").get("/supervision").get_data(as_text=True))
    other = web("reviewer_kjj")
    assert _pdf_links(other.get("/supervision").get_data(as_text=True)) == []
    assert other.get(link).status_code == 404
    assert web("finance").get(link).status_code == 404  # addressed to 市经贸局, not finance
    assert web("ent_huadong").get("/supervision").status_code == 403
    assert web("ent_huadong").get(link).status_code == 403
    assert "/signin" in web(None).get("/supervision").headers["Location"]
    assert web("gov").get("/supervision/999999.pdf").status_code == 404


def test_the_oversight_page_counts_the_supervision_notices(seeded, submitted_on, tick, web):
    _supervised(submitted_on, tick)
    html = web("gov").get("/oversight?year=2026").get_data(as_text=True)
    row = re.search(r'<tr data-department="JMJ" data-year="2026">(.*?)</tr>', html, re.S)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert cells[-1].strip() == "1"
    header = re.search(r'id="oversight-figures".*?<thead>(.*?)</thead>', html, re.S).group(1)
    assert header.rstrip().endswith("督办通知</th></tr>")
