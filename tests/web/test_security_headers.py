"""Security headers on every answer, and stored files served as what they are."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from approvals.downloads import file_name
from tests.conftest import PDF_BYTES, PNG_BYTES
from tests.web.conftest import text


def _header_policy(res) -> dict[str, str]:
    policy = res.headers["Content-Security-Policy"]
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";"))


@pytest.mark.parametrize("path", ["/signin", "/verify", "/signup"])
def test_every_page_has_a_policy_that_forbids_inline_script_and_style(web, path):
    res = web(None).get(path)
    policy = _header_policy(res)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in res.headers["Content-Security-Policy"]
    assert "camera=()" in res.headers["Permissions-Policy"]
    assert res.headers["X-Frame-Options"] == "DENY"


def test_pages_with_personal_data_are_never_stored(web):
    client = web("ent_huadong")
    assert client.get("/claims").headers["Cache-Control"] == "no-store"
    api = client.client.post(
        "/api/v1/auth/token", json={"username": "ent_huadong", "password": _password()}
    )
    assert api.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(web):
    res = web(None).get("/static/app.css")
    res.close()
    assert res.headers.get("Cache-Control") != "no-store"


def test_hsts_and_secure_cookie_when_the_site_is_https(web):
    # The test configuration's PUBLIC_BASE_URL is https; TLS ends at the proxy.
    res = web(None).get("/signin", headers={"X-Forwarded-Proto": "https"})
    assert res.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in res.headers["Set-Cookie"]


def test_no_hsts_and_no_secure_cookie_on_a_plain_http_site(seeded, tmp_path):
    from approvals import create_app
    from tests.conftest import base_config

    config = base_config(tmp_path, seeded.config["SQLALCHEMY_DATABASE_URI"])
    config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    res = create_app(config).test_client().get("/signin")
    assert "Strict-Transport-Security" not in res.headers
    assert "Secure" not in res.headers["Set-Cookie"]


@pytest.mark.parametrize(
    ("original", "content_type", "served"),
    [
        ("合同.exe", "application/pdf", "合同.pdf"),
        ("scan.PDF.html", "image/png", "scan.PDF.png"),
        ("照片", "image/jpeg", "照片.jpg"),
        (".htaccess", "application/pdf", ".htaccess.pdf"),
    ],
)
def test_a_stored_file_is_named_after_its_sniffed_type(original, content_type, served):
    assert file_name(original, content_type) == served


def _uploaded(client, data: bytes, filename: str) -> str:
    res = client.post(
        "/claims/new?policy=JMJ-PLAN", {"project_title": "平台规划", "requested_amount": "1000"}
    )
    claim_id = int(res.location.rsplit("/", 1)[1])
    assert client.upload(claim_id, "business_licence", data, filename).status_code == 302
    page = text(client.get(f"/claims/{claim_id}"))
    return re.search(r'href="(/claims/\d+/attachments/\d+)"', page).group(1)


def test_evidence_is_served_inline_sandboxed_under_its_real_extension(web):
    client = web("ent_huadong")
    url = _uploaded(client, PDF_BYTES, "报告.html")
    res = client.get(url)
    res.close()
    assert res.headers["Content-Type"] == "application/pdf"
    disposition = unquote(res.headers["Content-Disposition"])
    assert disposition.startswith("inline") and "报告.pdf" in disposition
    policy = _header_policy(res)
    assert "sandbox" in policy and policy["default-src"] == "'none'"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in res.headers["Cache-Control"]


def test_an_image_is_shown_inline_too(web):
    client = web("ent_huadong")
    res = client.get(_uploaded(client, PNG_BYTES, "执照"))
    res.close()
    assert res.headers["Content-Type"] == "image/png"
    assert unquote(res.headers["Content-Disposition"]).startswith("inline")


def _password() -> str:
    from tests.conftest import PASSWORD

    return PASSWORD


def test_behind_a_trusted_proxy_the_client_address_comes_from_the_proxy(seeded, tmp_path):
    from flask import request

    from approvals import create_app
    from tests.conftest import base_config

    config = base_config(tmp_path, seeded.config["SQLALCHEMY_DATABASE_URI"])
    config["TRUSTED_PROXIES"] = 1
    app = create_app(config)
    seen = {}

    @app.get("/__whoami")
    def whoami():
        seen["addr"], seen["scheme"] = request.remote_addr, request.scheme
        return ""

    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    app.test_client().get("/__whoami", headers=headers)
    assert seen == {"addr": "203.0.113.7", "scheme": "https"}
