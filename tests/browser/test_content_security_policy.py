"""The browser enforces the pages' Content-Security-Policy, and reports what it blocks in
the words the `person` fixture listens for (so that a page breaking the policy fails)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_an_inline_script_is_blocked_and_reported(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.goto("/signin")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            """() => {
                const s = document.createElement("script");
                s.textContent = "document.body.dataset.injected = 'yes'";
                document.head.appendChild(s);
            }"""
        )
    assert page.evaluate("document.body.dataset.injected") is None
    context.close()
