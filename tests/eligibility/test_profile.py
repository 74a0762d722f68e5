"""The enterprise's profile facts (一企一档): basics, yearly figures and qualifications with
their evidence, uploaded or named by reference to a claim's attachment; its own only."""

from __future__ import annotations

import re
from io import BytesIO

from tests.conftest import PDF_BYTES
from tests.web.conftest import text


def _has_error(html: str, field: str) -> bool:
    return bool(re.search(rf'<div class="field has-error">\s*<label for="{field}"', html))


def test_the_profile_page_links_to_the_facts_page(seeded, web):
    html = text(web("ent_huadong").get("/profile"))
    assert 'href="/profile/facts"' in html


def test_an_enterprise_edits_its_basics_and_figures(seeded, make_enterprise, web):
    client = web(make_enterprise())
    res = client.post(
        "/profile/facts/basics",
        {"industry_code": "c3511", "size": "small", "established_on": "2019-03-01"},
    )
    assert res.status_code == 302
    res = client.post(
        "/profile/facts/figures",
        {"year": "2025", "rd_spend": "1200000", "revenue": "", "investment": "0"},
    )
    assert res.status_code == 302
    html = text(client.get("/profile/facts"))
    assert 'value="C3511"' in html and 'value="2019-03-01"' in html
    year = html.split('id="year-2025"', 1)[1].split("</tr>", 1)[0]
    assert "1,200,000.00" in year and "—" in year


def test_wrong_facts_are_refused_with_the_field_named(seeded, make_enterprise, web):
    client = web(make_enterprise())
    res = client.post(
        "/profile/facts/basics", {"industry_code": "XYZ", "established_on": "2999-1-1"}
    )
    assert res.status_code == 422
    html = text(res)
    assert _has_error(html, "industry_code")
    assert _has_error(html, "established_on")
    res = client.post("/profile/facts/figures", {"year": "25", "rd_spend": "-5"})
    assert res.status_code == 422
    assert _has_error(text(res), "year") and _has_error(text(res), "rd_spend")
    res = client.post(
        "/profile/facts/qualifications",
        {"kind": "high_tech", "certificate_number": "GR1", "valid_until": "2027-01-01"},
        content_type="multipart/form-data",
    )
    assert res.status_code == 422 and _has_error(text(res), "file")  # no evidence


def test_a_qualification_is_kept_with_its_uploaded_evidence_for_its_enterprise_only(
    seeded, make_enterprise, web
):
    client = web(make_enterprise())
    res = client.post(
        "/profile/facts/qualifications",
        {
            "kind": "high_tech",
            "certificate_number": "GR202533000001",
            "valid_from": "2025-01-01",
            "valid_until": "2027-12-31",
            "file": (BytesIO(PDF_BYTES), "高企证书.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert res.status_code == 302, text(res)
    html = text(client.get("/profile/facts"))
    row = html.split('data-kind="high_tech"', 1)[1].split("</tr>", 1)[0]
    assert "GR202533000001" in row and "2027-12-31" in row and "高企证书.pdf" in row
    link = re.search(r'href="(/profile/facts/evidence/[0-9a-f]{64})"', row).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF_BYTES
    download.close()
    assert web("ent_jiangnan").get(link).status_code == 404  # another enterprise's
    # …and the calculator now finds the high-tech award for it.
    calculator = text(client.get("/calculator"))
    assert 'id="result-KJJ-HITECH"' in calculator.split('id="qualifying"', 1)[1].split("</div>")[0]
    qualification_id = re.search(r'name="qualification_id" value="(\d+)"', row).group(1)
    res = client.post(
        "/profile/facts/qualifications/remove", {"qualification_id": qualification_id}
    )
    assert res.status_code == 302
    assert 'data-kind="high_tech"' not in text(client.get("/profile/facts"))


def test_a_certificate_already_attached_to_a_claim_is_named_not_uploaded_again(seeded, api, web):
    ent = api("ent_jiangnan")
    claim = ent.create_claim("KJJ-HITECH", "1000.00")
    assert ent.attach(claim["id"], "certificate", filename="证书.pdf").status_code == 201
    client = web("ent_jiangnan")
    page = text(client.get("/profile/facts"))
    attachment_id = re.search(r'<option value="(\d+)">[^<]*证书.pdf', page).group(1)
    res = client.post(
        "/profile/facts/qualifications",
        {
            "kind": "high_tech",
            "certificate_number": "GR202533000002",
            "valid_until": "2028-01-01",
            "attachment_id": attachment_id,
        },
        content_type="multipart/form-data",
    )
    assert res.status_code == 302, text(res)
    row = text(client.get("/profile/facts")).split('data-kind="high_tech"', 1)[1].split("</tr>")[0]
    assert "证书.pdf" in row
    # Another enterprise cannot name it.
    res = web("ent_huadong").post(
        "/profile/facts/qualifications",
        {
            "kind": "high_tech",
            "certificate_number": "X1",
            "valid_until": "2028-01-01",
            "attachment_id": attachment_id,
        },
        content_type="multipart/form-data",
    )
    assert res.status_code == 422 and _has_error(text(res), "attachment_id")
