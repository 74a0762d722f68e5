"""The department's 申请认定表 pages: from the queue to the form, each step by its signer,
with the refusals said on the page; finance's queue holds the claims once it is sent."""

from __future__ import annotations

import re

from tests.recognition_forms.conftest import pdf_text


def _text(res) -> str:
    return res.get_data(as_text=True)


def _form_id(res) -> int:
    return int(re.search(r"/recognition-forms/(\d+)$", res.headers["Location"]).group(1))


def _version(page: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def test_department_sends_its_form_from_the_pages(web, approved, api):
    claim_id = approved("100000.00")
    number = api("reviewer_jmj").claim(claim_id).json["number"]
    year = number[:4]
    officer = web("reviewer_jmj")
    queue = _text(officer.get("/queue"))
    assert 'href="/recognition-forms/"' in queue
    index = _text(officer.get("/recognition-forms/"))
    assert "待报送认定表的申报" in index and f'value="{year}"' in index
    assert number not in _text(web("finance").get("/queue"))

    res = officer.post("/recognition-forms/", {"call_year": year, "comment": ""})
    assert res.status_code == 302
    form_id = _form_id(res)
    page = _text(officer.get(f"/recognition-forms/{form_id}"))
    assert number in page and "100,000.00" in page and "待审核" in page
    assert "/check" not in page  # not the case officer's step

    chief = web("chief_jmj")
    page = _text(chief.get(f"/recognition-forms/{form_id}"))
    res = chief.post(f"/recognition-forms/{form_id}/check", {"version": _version(page)})
    assert res.status_code == 302
    # A stale page is told so, and nothing changes.
    res = chief.post(f"/recognition-forms/{form_id}/check", {"version": _version(page)})
    page = _text(chief.get(res.headers["Location"]))
    assert "他人已先处理" in page

    leader = web("leader_jmj")
    page = _text(leader.get(f"/recognition-forms/{form_id}"))
    assert "待审批" in page and "审批并报送" in page
    res = leader.post(f"/recognition-forms/{form_id}/send", {"version": _version(page)})
    page = _text(leader.get(res.headers["Location"]))
    assert "已报送" in page and "所列申报已转财政复核" in page
    assert "经办" in page and "审核" in page
    pdf = leader.get(f"/recognition-forms/{form_id}.pdf")
    assert pdf.status_code == 200 and number in pdf_text(pdf.data)

    assert number in _text(web("finance").get("/queue"))
    assert f"/recognition-forms/{form_id}" in _text(web("finance").get("/recognition-forms/"))
    assert web("ent_huadong").get("/recognition-forms/").status_code == 403
