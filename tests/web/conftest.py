"""Web fixtures: a browser-like test client that signs in and sends CSRF tokens."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.conftest import PASSWORD

CATALOGS = Path(__file__).resolve().parents[2] / "approvals" / "translations"

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1)


class WebClient:
    """The Flask test client with a session; reads the CSRF token from pages like a browser."""

    def __init__(self, client):
        self.client = client
        self._token: str | None = None

    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client.get("/signin").get_data(as_text=True))
        return self._token

    def get(self, path, **kw):
        return self.client.get(path, **kw)

    def post(self, path, data=None, *, token=True, **kw):
        data = dict(data or {})
        if token:
            data.setdefault("csrf_token", self.token())
        return self.client.post(path, data=data, **kw)

    def signin(self, username: str, password: str = PASSWORD):
        res = self.post("/signin", {"username": username, "password": password})
        assert res.status_code == 302, res.get_data(as_text=True)
        self._token = None  # read it again from a signed-in page
        self._token = csrf_token(self.client.get("/policies").get_data(as_text=True))
        return res

    def upload(self, claim_id: int, kind: str, data: bytes, filename: str):
        return self.post(
            f"/claims/{claim_id}/attachments",
            {"kind": kind, "file": (BytesIO(data), filename)},
            content_type="multipart/form-data",
        )

    def act(self, claim_id: int, trigger: str, version: int, **fields):
        return self.post(
            f"/claims/{claim_id}/act", {"trigger": trigger, "version": version, **fields}
        )


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """`make test` compiles the catalogs; a bare `pytest` after editing a .po gets them too."""
    for po in CATALOGS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog)


@pytest.fixture
def web(seeded):
    """web("reviewer_jmj") → a WebClient signed in as that account; web(None) signed out."""

    def make(username: str | None = None) -> WebClient:
        client = WebClient(seeded.test_client())
        if username:
            client.signin(username)
        return client

    return make


def text(res) -> str:
    return res.get_data(as_text=True)
