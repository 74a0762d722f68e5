"""Anyone can check a notice by its code, and learn whether a PDF is the issued original."""

import re
from io import BytesIO


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _issued_notice(api, submitted_claim):
    ent = api("ent_huadong")
    notice = ent.claim(submitted_claim).json["notices"][0]
    return notice, ent.get(notice["url"]).data


def test_verify_page_shows_the_notice_facts(api, submitted_claim, seeded):
    notice, _ = _issued_notice(api, submitted_claim)
    page = seeded.test_client().get(f"/verify/{notice['verification_code']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for fragment in (
        "受理回执",
        notice["number"],
        "华东精密机械有限公司",
        "工业平台规划编制经费",
        "120000.00",
        notice["sha256"],
        "市经贸局",
    ):
        assert fragment in html


def test_code_is_accepted_as_people_type_it(api, submitted_claim, seeded):
    notice, _ = _issued_notice(api, submitted_claim)
    typed = notice["verification_code"].lower().replace("-", " ")
    client = seeded.test_client()
    form = client.get("/verify").get_data(as_text=True)
    res = client.post("/verify", data={"code": typed, "csrf_token": _csrf(form)})
    assert res.status_code == 302
    assert res.headers["Location"].endswith(f"/verify/{notice['verification_code']}")


def test_unknown_code_is_404_with_a_message(seeded):
    res = seeded.test_client().get("/verify/AAAA-BBBB-CCCC")
    assert res.status_code == 404
    assert "未找到" in res.get_data(as_text=True)


def _upload(client, code, data):
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    return client.post(
        f"/verify/{code}",
        data={"csrf_token": _csrf(page), "file": (BytesIO(data), "notice.pdf")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)


def test_genuine_pdf_is_confirmed(api, submitted_claim, seeded):
    notice, pdf = _issued_notice(api, submitted_claim)
    html = _upload(seeded.test_client(), notice["verification_code"], pdf)
    assert "一致：该文件与签发的通知书原件完全一致" in html


def test_tampered_pdf_is_detected(api, submitted_claim, seeded):
    notice, pdf = _issued_notice(api, submitted_claim)
    tampered = pdf.replace(b"120,000.00", b"920,000.00") if b"120,000.00" in pdf else pdf + b"\n"
    html = _upload(seeded.test_client(), notice["verification_code"], tampered)
    assert "不一致" in html


def test_upload_without_csrf_token_is_refused(api, submitted_claim, seeded):
    notice, pdf = _issued_notice(api, submitted_claim)
    res = seeded.test_client().post(
        f"/verify/{notice['verification_code']}",
        data={"file": (BytesIO(pdf), "notice.pdf")},
        content_type="multipart/form-data",
    )
    assert res.status_code == 400
