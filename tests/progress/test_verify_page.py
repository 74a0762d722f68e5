"""The public verification page: styled as the other pages, in both languages, linked from
every page's footer, and it tells a file that is not a PDF apart from a changed one."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from tests.conftest import PNG_BYTES
from tests.web.conftest import text

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "verify"


def _code(api, claim_id) -> str:
    return api("ent_huadong").claim(claim_id).json["notices"][0]["verification_code"]


def _upload(client, code, data, name="notice.pdf"):
    page = text(client.get(f"/verify/{code}"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(
        f"/verify/{code}",
        data={"csrf_token": token, "file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_file_that_is_not_a_pdf_is_named_so(api, submitted_claim, seeded):
    res = _upload(seeded.test_client(), _code(api, submitted_claim), PNG_BYTES, "notice.pdf")
    html = text(res)
    assert res.status_code == 200
    assert 'id="not-pdf"' in html
    assert 'id="not-genuine"' not in html


def test_a_changed_pdf_is_still_not_genuine(api, submitted_claim, seeded):
    res = _upload(seeded.test_client(), _code(api, submitted_claim), b"%PDF-1.4\n%%EOF\n")
    assert 'id="not-genuine"' in text(res)


def test_every_word_of_the_verification_pages_is_marked_for_translation(seeded):
    """Both languages: the pages' own words all go through the catalog (the English text is
    the translators'), so that no Chinese is left outside `_()` in the templates."""
    marked = re.compile(r"""_\(\s*(["'])(?:(?!\1).)*\1""", re.S)
    comment = re.compile(r"\{#.*?#\}", re.S)
    for template in sorted(TEMPLATES.glob("*.html")):
        source = marked.sub("", comment.sub("", template.read_text("utf-8")))
        assert not re.search(r"[\u4e00-\u9fff]", source), template.name
    client = seeded.test_client()
    client.get("/lang/en?next=/verify")
    assert re.search(r'<html lang="en"', text(client.get("/verify")))


def test_every_page_footer_links_the_public_services(seeded):
    client = seeded.test_client()
    for path in ("/", "/verify", "/progress", "/guides", "/guides/JMJ-PLAN", "/signin"):
        footer = text(client.get(path)).split("<footer")[1]
        for target in ("/verify", "/progress", "/guides"):
            assert f'href="{target}"' in footer, (path, target)
