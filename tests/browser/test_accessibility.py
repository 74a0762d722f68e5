"""Every role's main pages pass axe-core (no serious or critical violation) at desktop and
phone width, and at 390 px no page is wider than the screen: tables turn into cards with
each cell labelled, the navigation wraps, the main action stays in reach. A field with an
error says so to a screen reader (aria-invalid, aria-describedby)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from approvals.demo_claims import seed_claims
from approvals.expert_review.demo import seed_panels, seed_scores
from tests.browser.axe import violations
from tests.browser.test_claim_journey import sign_in
from tests.conftest import DEMO

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
GUIDE = "JMJ-PLAN"  # a demo clause with a guide, materials and steps

# Each role's main pages; a `None` entry is found on the page before it (first link matching
# the selector), so that the walk needs no knowledge of the demo's claim ids.
ROLES = {
    "visitor": (
        None,
        ["/", f"/guides/{GUIDE}", "/progress", "/verify", "/calculator", "/publicity"],
    ),
    "ent_huadong": (
        "ent_huadong",
        [
            "/claims",
            ("/claims", "main table a[href^='/claims/']"),
            ("/policies", "main a[href^='/claims/new?policy=']"),
            "/profile",
            "/inbox",
            "/library",
            "/profile/facts",
            "/calculator",
        ],
    ),
    "reviewer_jmj": (
        "reviewer_jmj",
        [
            "/queue",
            ("/queue", "main table a[href^='/claims/']"),
            "/recognition-forms/",
            "/publicity/objections",
            "/proactive/JMJ-PROACTIVE",
            "/supervision",
            "/idle-land/",
        ],
    ),
    "finance": ("finance", ["/queue", "/finance/", "/finance/reports", "/publicity/pending"]),
    "gov": ("gov", ["/oversight", "/supervision", "/idle-land/"]),
    "admin": (
        "admin",
        ["/admin/policies", f"/admin/policies/{GUIDE}", "/admin/workflows", "/admin/calendar"],
    ),
}

# What a phone user would notice: the page scrolls sideways, or a table (or any other box)
# has to be scrolled sideways inside the page to reach its last column.
OVERFLOW = """(width) => {
  const found = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "");
  if (document.documentElement.scrollWidth > width) {
    // Name the boxes that stick out (those whose parent still fits), so the fix is plain.
    const clipped = (el) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
        if (getComputedStyle(up).overflowX !== "visible") return true;
      return false;
    };
    const out = [...document.body.querySelectorAll("*")].filter((el) =>
      el.getBoundingClientRect().right > width + 1
      && el.parentElement.getBoundingClientRect().right <= width + 1 && !clipped(el));
    found.push(`page is ${document.documentElement.scrollWidth}px wide: `
      + out.slice(0, 5).map((el) => `${name(el.parentElement)} > ${name(el)}`).join(", "));
  }
  for (const el of document.querySelectorAll("main *")) {
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
    if (scrolls && el.scrollWidth > el.clientWidth + 1)
      found.push(`${name(el)} scrolls sideways (${el.scrollWidth}px in ${el.clientWidth}px)`);
  }
  return found;
}"""


@pytest.fixture(scope="module")
def demo_claims(live_app):
    """The demo's claims in every state (as `flask seed-demo` files them): the queues, the
    claim pages and the reports have rows to show."""
    with live_app.app_context():
        seed_panels(DEMO)
        report = seed_claims()
        seed_scores(DEMO)
    assert not report.refused, report.refused


def _resolve(page, entry) -> str:
    if isinstance(entry, str):
        return entry
    listing, selector = entry
    page.goto(listing)
    return page.locator(selector).first.get_attribute("href")


def _problems_on(page, url: str, width: int) -> list[str]:
    page.goto(url)
    found = [f"[{width}px] {line}" for line in violations(page)]
    if width == PHONE["width"]:
        found += [f"[{width}px] {page.url}: {line}" for line in page.evaluate(OVERFLOW, width)]
    return found


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_are_accessible_on_desktop_and_phone(person, demo_claims, role):
    username, entries = ROLES[role]
    page = person()
    if username:
        sign_in(page, username)
    urls = [_resolve(page, entry) for entry in entries]
    problems: list[str] = []
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for url in urls:
            problems += _problems_on(page, url, viewport["width"])
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_phone_tables_label_every_cell_and_keep_the_main_action_on_screen(person, demo_claims):
    page = person()
    page.set_viewport_size(PHONE)
    sign_in(page, "ent_huadong")
    page.goto("/claims")
    cell = page.locator("main table.data tbody td").first
    expect(cell).to_have_attribute("data-label", "申报编号")
    label = cell.evaluate("(td) => getComputedStyle(td, '::before').content")
    assert "申报编号" in label
    new_claim = page.locator("main .page-head a.button")
    box = new_claim.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.click("nav.mainnav a:text-is('可申报政策')")  # the navigation works on a phone
    expect(page.locator("h1")).to_be_visible()
    apply = page.locator("main a[href^='/claims/new?policy=']").first
    apply.scroll_into_view_if_needed()
    box = apply.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]


def test_a_field_with_an_error_points_at_its_message(person):
    page = person()
    page.goto("/signup")
    page.fill("#credit_code", "not-a-code")
    page.click("main button[type=submit]")
    invalid = page.locator("main [aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    for field in invalid.all():
        described = (field.get_attribute("aria-describedby") or "").split()
        assert described, f"{field.get_attribute('id')} names no message"
        texts = [page.locator(f"[id='{ref}']").inner_text() for ref in described]
        assert any(text.strip() for text in texts)
    assert not violations(page)
