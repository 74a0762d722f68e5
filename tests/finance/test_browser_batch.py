"""In a real browser: finance builds a batch, confirms it, downloads its payment file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

# The browser suite's live server and Chromium, reused as they are.
from tests.browser.conftest import browser, live_app, live_server, person  # noqa: F401
from tests.conftest import PASSWORD, PDF_BYTES

pytestmark = pytest.mark.browser


def _api(page, username):
    """Bearer headers for `username`, through the live server's own API."""
    res = page.request.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert res.ok, res.text()
    return {"Authorization": f"Bearer {res.json()['token']}"}


def _send_form(page, year):
    """经贸局's 申请认定表 of `year`: prepared, checked and sent by its chain."""
    form = None
    for who, path in (
        ("reviewer_jmj", "/api/v1/recognition-forms"),
        ("chief_jmj", "/check"),
        ("leader_jmj", "/send"),
    ):
        url = path if form is None else f"/api/v1/recognition-forms/{form['id']}{path}"
        body = {"call_year": year} if form is None else {"version": form["version"]}
        res = page.request.post(url, headers=_api(page, who), data=body)
        assert res.ok, res.text()
        form = res.json()


def _approved_claim(page, enterprise, title, amount):
    ent, reviewer, finance = (_api(page, u) for u in (enterprise, "reviewer_jmj", "finance"))
    claim = page.request.post(
        "/api/v1/claims",
        headers=ent,
        data={"policy_code": "JMJ-PLAN", "project_title": title, "requested_amount": amount},
    ).json()
    for kind in ("business_licence", "project_plan"):
        file = {"name": "证明.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        res = page.request.post(
            f"/api/v1/claims/{claim['id']}/attachments",
            headers=ent,
            multipart={"kind": kind, "file": file},
        )
        assert res.ok, res.text()
    steps = [
        (ent, {"trigger": "submit"}),
        (reviewer, {"trigger": "dept_approve", "approved_amount": amount, "comment": "同意"}),
        (None, None),  # the department's 申请认定表 carries it to finance
        (finance, {"trigger": "finance_approve", "comment": "同意"}),
    ]
    for headers, body in steps:
        if headers is None:
            _send_form(page, int(claim["number"][:4]))
            continue
        version = page.request.get(f"/api/v1/claims/{claim['id']}", headers=headers).json()
        res = page.request.post(
            f"/api/v1/claims/{claim['id']}/transitions",
            headers=headers,
            data=body | {"version": version["version"]},
        )
        assert res.ok, res.text()
    return claim["number"]


def test_finance_builds_confirms_and_downloads_a_batch(person):  # noqa: F811
    page = person()
    numbers = [
        # One live claim per policy and enterprise: the two come from the two demo enterprises.
        _approved_claim(page, "ent_huadong", "智能制造平台规划", "120000.00"),
        _approved_claim(page, "ent_jiangnan", "园区配套规划", "35000.50"),
    ]
    page.goto("/signin")
    page.fill("#username", "finance")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto("/finance/")
    for number in numbers:
        assert page.locator("table.payable").get_by_text(number).is_visible()
    page.click("#compose button[type=submit]")
    assert "第一批" in page.locator("h1").inner_text()
    assert page.locator("#batch-total").inner_text() == "155,000.50"
    page.click("#confirm-batch")
    # What will be paid is shown first: count, total, payees; the second button pays.
    assert page.locator("#confirm-total").inner_text().startswith("155,000.50")
    page.click("#confirm-do")
    assert "已拨付" in page.locator("h1").inner_text()
    with page.expect_download() as download:
        page.click("text=支付文件 CSV")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[7] for r in rows[1:]] == numbers
    assert [r[5] for r in rows[1:]] == ["120000.00", "35000.50"]
    assert [r[4] for r in rows[1:]] == ["6222020200012345678", "6227000012345678901"]
    page.goto("/finance/reports")
    assert page.locator("svg.chart").count() >= 6
