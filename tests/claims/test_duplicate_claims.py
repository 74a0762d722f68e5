"""One project, one claim, on the pages: the claim form links to the existing claim, and an
official's claim page lists the enterprise's other claims of the exclusive group."""

from __future__ import annotations

from tests.claims.test_duplicates import _at_finance
from tests.web.conftest import text


def test_the_claim_form_links_to_the_existing_claim(web):
    client = web("ent_huadong")
    data = {"project_title": "智能制造平台规划", "requested_amount": "120000"}
    first = client.post("/claims/new?policy=JMJ-PLAN", data)
    assert first.status_code == 302
    claim_id = int(first.location.rsplit("/", 1)[1])
    number = text(client.get(first.location)).split('<dd class="code">', 1)[1].split("<", 1)[0]
    again = client.post("/claims/new?policy=JMJ-PLAN", data)
    assert again.status_code == 409
    page = text(again)
    assert "同一政策同一年度只能申报一次" in page
    assert f'<a href="/claims/{claim_id}">{number}</a>' in page
    form = text(client.get("/claims/new?policy=JMJ-PLAN"))  # said before anything is typed
    assert f'href="/claims/{claim_id}"' in form and 'name="project_title"' not in form


def test_the_officials_claim_page_lists_the_groups_other_claims(web, api, send_form):
    centre = _at_finance(api, send_form, "JMJ-TECHCENTRE", "reviewer_jmj", "300000.00")
    hitech = _at_finance(api, send_form, "KJJ-HITECH", "reviewer_kjj", "200000.00")
    page = text(web("finance").get(f"/claims/{hitech['id']}"))
    panel = page.split('id="exclusive-group"', 1)[1].split("</section>", 1)[0]
    assert f'<a href="/claims/{centre["id"]}">{centre["number"]}</a>' in panel
    assert "JMJ-TECHCENTRE" in panel and "待财政复核" in panel and "300,000.00" in panel
    # Another department's reviewer sees the claim listed, without a link it could not open.
    panel = text(web("reviewer_kjj").get(f"/claims/{hitech['id']}")).split(
        'id="exclusive-group"', 1
    )[1]
    assert centre["number"] in panel and f'href="/claims/{centre["id"]}"' not in panel
    assert 'id="exclusive-group"' not in text(web("ent_huadong").get(f"/claims/{hitech['id']}"))
