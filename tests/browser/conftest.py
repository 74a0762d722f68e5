"""A live server on a free port (a thread, SQLite file, demo data) and Debian's Chromium."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from approvals import create_app
from approvals.demo import seed
from approvals.extensions import db
from tests.conftest import DEMO, base_config
from tests.web.conftest import compiled_catalogs  # noqa: F401  (English pages need the catalog)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The application the live server serves (SQLite file, demo data). A test reaches its
    database through `live_app.app_context()` only for what no page does yet (an
    administrator's step) or to prepare other people's claims through the API."""
    tmp = tmp_path_factory.mktemp("live")
    app = create_app(base_config(tmp, f"sqlite:///{tmp / 'live.sqlite3'}"))
    with app.app_context():
        db.create_all()
        seed(DEMO)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def person(browser, live_server):
    """person() → a new page in its own browser context: one person at one desk.

    Every page must satisfy the Content-Security-Policy: a violation the browser reports
    on any page fails the test."""
    contexts = []
    violations: list[str] = []

    def open_page():
        context = browser.new_context(
            base_url=live_server,
            viewport={"width": 1280, "height": 800},
            locale="zh-CN",
            accept_downloads=True,
        )
        context.set_default_timeout(5000)  # fail fast: every step is local
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: _note_violation(message, page, violations))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def _note_violation(message, page, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{page.url}: {message.text}")


def shoot(page, name: str) -> None:
    """A screenshot of the viewport for docs/screenshots (README names the folder).

    A missing one is always written; the committed ones are rewritten only on request
    (APPROVALS_SCREENSHOTS=1, `make screenshots`), so that a test run leaves the tree clean.
    """
    path = SCREENSHOTS / f"{name}.png"
    if path.exists() and os.environ.get("APPROVALS_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def fill_profile(page, name: str, bank_account: str, bank_name: str = "中国工商银行城东支行"):
    """The enterprise fills its 企业信息 from the menu: contact and payee account in its name."""
    page.click("nav.mainnav a:text-is('企业信息')")
    page.fill("#legal_representative", "王建国")
    page.fill("#contact_name", "王经理")
    page.fill("#contact_phone", "13905710088")
    page.fill("#contact_email", "caiwu@example.cn")
    page.fill("#bank_name", bank_name)
    page.fill("#bank_account", bank_account)
    page.fill("#account_name", name)
    page.click("main form button[type=submit]")
    page.locator(".flash-success", has_text="企业信息已保存").wait_for()
