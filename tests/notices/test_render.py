"""Notices render to one embedded-font PDF page whose text reads back, reproducibly and safely."""

import hashlib
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from approvals.notices import render
from approvals.notices.addressing import TO_THE_NEXT_OFFICE
from approvals.notices.facts import KIND_TITLES, NoticeFacts, notice_title
from approvals.notices.render import (
    NoticeURLFetcher,
    pdf_identifier,
    render_html,
    render_notice,
)

ROOT = Path(__file__).resolve().parents[2]
COMMENT = "经核查，该项目设备投资额符合政策规定，同意按设备投资额的10%给予补助。"


def make_facts(kind: str = "payout", **overrides) -> NoticeFacts:
    letter = kind not in TO_THE_NEXT_OFFICE
    values = {
        "kind": kind,
        "number": "经贸兑〔2026〕15号",
        "issuer_code": "JMJ",
        "issuer_name": "市经贸局",
        "issuer_full_name": "示范市经济贸易局",
        "letter": letter,
        "addressee": "" if letter else "示范市财政局",
        "cc": ("示范市财政局",) if letter else (),
        "contact_name": "张明",
        "contact_phone": "0573-82100101",
        "reviewer_name": "示范市经济贸易局",
        "basis_title": "关于推进工业提升发展的若干政策意见（试行）",
        "basis_number": "市委发〔2026〕40号",
        "basis_clause": "第六条",
        # 18:30 on 14 March in UTC is already 15 March in Shanghai.
        "issued_at": datetime(2026, 3, 14, 18, 30, tzinfo=UTC),
        "enterprise_name": "王堃精密机械（苏州）有限公司",
        "credit_code": "91320500MA1XYZ1234",
        "claim_number": "SB-2026-000123",
        "policy_code": "JMJ-03",
        "policy_title": "企业技术改造项目补助",
        "funding_type": "无偿资助",
        "project_title": "李喆团队年产5万台智能数控机床技术改造项目",
        "requested_amount": Decimal("120000.00"),
        "approved_amount": Decimal("100005.50"),
        "comment": COMMENT,
        "payment_reference": "CZ2026-0315-0042",
        "verification_code": "7KQ4-M2XD-9PWA",
        "verify_url": "https://zcdx.example.gov.cn/verify/7KQ4-M2XD-9PWA",
    }
    values.update(overrides)
    return NoticeFacts(**values)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    executable = shutil.which(tool)
    if executable is None:
        pytest.fail(f"{tool} not found: install the Debian package poppler-utils")
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        [executable, *args, str(path), "-"] if tool == "pdftotext" else [executable, str(path)],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def text_of(pdf: bytes, tmp_path: Path) -> str:
    # pdftotext breaks lines where the layout wraps; compare without whitespace. In content
    # stream order (-raw): by position, the seal's rotated glyphs land amid the lines above.
    return re.sub(r"\s+", "", poppler("pdftotext", pdf, tmp_path, "-raw"))


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {kind: render_notice(make_facts(kind)) for kind in KIND_TITLES}


@pytest.mark.parametrize("kind", sorted(KIND_TITLES))
def test_notice_text_reads_back_from_the_pdf(kind, rendered, tmp_path):
    text = text_of(rendered[kind], tmp_path)
    facts = make_facts(kind)
    for expected in (
        notice_title(facts),
        # 信函格式: the full name alone; 文件格式: the name and 文件
        "示范市经济贸易局" + ("" if facts.letter else "文件"),
        "经贸兑〔2026〕15号",
        ("王堃精密机械（苏州）有限公司：" if facts.letter else "示范市财政局："),
        "王堃精密机械（苏州）有限公司",
        "李喆团队年产5万台智能数控机床技术改造项目",
        "91320500MA1XYZ1234",
        "SB-2026-000123",
        "120,000.00元",
        "人民币壹拾贰万元整",
        "100,005.50元",
        "人民币壹拾万零伍元伍角",
        COMMENT,
        "2026年3月15日",
        "7KQ4-M2XD-9PWA",
        "（联系人：张明，电话：0573-82100101）",
    ):
        assert expected in text, f"{expected!r} missing from the {kind} notice"
    assert ("CZ2026-0315-0042" in text) == (kind == "payout")  # the reference of a payment
    assert "《企业技术改造项目补助》" not in text  # 《》 only around a document's title


@pytest.mark.parametrize("kind", sorted(KIND_TITLES))
def test_notice_is_one_page_with_every_font_embedded(kind, rendered, tmp_path):
    info = poppler("pdfinfo", rendered[kind], tmp_path)
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert re.search(r"^Page size:.*\(A4\)$", info, re.MULTILINE)
    fonts = poppler("pdffonts", rendered[kind], tmp_path).splitlines()[2:]
    assert len(fonts) >= 2
    for row in fonts:
        # name, type…, encoding, emb, sub, uni, object id, generation
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def test_pdf_dates_come_from_the_facts_not_the_clock(rendered, tmp_path):
    info = poppler("pdfinfo", rendered["receipt"], tmp_path)
    assert re.search(r"^CreationDate:\s+Sat Mar 14 18:30:00 2026 UTC$", info, re.MULTILINE)
    assert re.search(r"^ModDate:\s+Sat Mar 14 18:30:00 2026 UTC$", info, re.MULTILINE)


def test_same_facts_render_to_identical_bytes(rendered):
    again = render_notice(make_facts("approval"))
    assert hashlib.sha256(again).digest() == hashlib.sha256(rendered["approval"]).digest()
    assert pdf_identifier(make_facts()) in rendered["payout"]


def test_same_facts_render_to_identical_bytes_in_another_process(rendered, tmp_path):
    # A fresh process has its own font cache and temporary font folder.
    script = (
        "import hashlib, sys\n"
        f"sys.path[:0] = [{str(ROOT)!r}, {str(Path(__file__).parent)!r}]\n"
        "from test_render import make_facts\n"
        "from approvals.notices.render import render_notice\n"
        "print(hashlib.sha256(render_notice(make_facts('payout'))).hexdigest())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, text=True, cwd=tmp_path
    )
    assert result.stdout.strip() == hashlib.sha256(rendered["payout"]).hexdigest()


@pytest.mark.parametrize(
    "change",
    [
        {"verification_code": "7KQ4-M2XD-9PWB"},
        {"approved_amount": Decimal("100005.51")},
        {"enterprise_name": "王堃精密机械（无锡）有限公司"},
        {"issued_at": datetime(2026, 3, 15, 18, 30, tzinfo=UTC)},
    ],
)
def test_different_facts_render_to_different_bytes(change, rendered):
    assert render_notice(make_facts("payout", **change)) != rendered["payout"]


def test_date_is_the_shanghai_calendar_day(tmp_path):
    late = make_facts("receipt", issued_at=datetime(2026, 3, 15, 15, 59, tzinfo=UTC))
    assert "2026年3月15日" in text_of(render_notice(late), tmp_path)
    after_midnight = replace(late, issued_at=datetime(2026, 3, 15, 16, 0, tzinfo=UTC))
    assert "2026年3月16日" in text_of(render_notice(after_midnight), tmp_path)


def test_notice_without_approved_amount_or_comment_omits_them(tmp_path):
    facts = make_facts("receipt", approved_amount=None, comment=None, payment_reference=None)
    text = text_of(render_notice(facts), tmp_path)
    assert "核定金额" not in text
    assert "备注" not in text
    assert "人民币壹拾贰万元整" in text


def test_long_opinion_is_set_smaller_to_fit_one_page(tmp_path):
    opinion = "\n".join(f"{n}. 请补充提交{COMMENT}" for n in range(1, 6))
    pdf = render_notice(make_facts("supplement", comment=opinion))
    assert re.search(r"^Pages:\s+1$", poppler("pdfinfo", pdf, tmp_path), re.MULTILINE)
    assert "5.请补充提交" in text_of(pdf, tmp_path)


def test_very_long_opinion_continues_on_a_numbered_second_page(tmp_path):
    opinion = "\n".join(f"{n}. 请补充提交{COMMENT}" for n in range(1, 16))
    pdf = render_notice(make_facts("supplement", comment=opinion))
    assert re.search(r"^Pages:\s+2$", poppler("pdfinfo", pdf, tmp_path), re.MULTILINE)
    text = text_of(pdf, tmp_path)
    assert "15.请补充提交" in text
    assert "—2—" in text


@pytest.mark.parametrize("kind", ["approval", "send_back"])
def test_long_issuer_name_fits_on_the_seal_and_one_masthead_line(kind, tmp_path):
    name = "示范市人事劳动和社会保障局"
    facts = make_facts(kind, issuer_full_name=name, number="人劳兑〔2026〕3号")
    pdf = render_notice(facts)
    assert re.search(r"^Pages:\s+1$", poppler("pdfinfo", pdf, tmp_path), re.MULTILINE)
    lines = poppler("pdftotext", pdf, tmp_path).splitlines()
    assert (name if facts.letter else name + "文件") in [line.strip() for line in lines]


def test_markup_in_recorded_text_is_printed_not_interpreted(monkeypatch, tmp_path):
    fetched = []
    original = NoticeURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(NoticeURLFetcher, "fetch", spy)
    injected = '<img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">'
    facts = make_facts("rejection", comment=injected, enterprise_name="<b>王堃</b>公司")
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in render_html(facts)
    text = text_of(render_notice(facts), tmp_path)
    assert '<imgsrc="file:///etc/passwd">' in text
    assert "<b>王堃</b>公司：" in text
    assert not [url for url in fetched if not url.startswith("data:")]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.com/font.woff2",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://otherhost" + str(render.FONTS / "notice-serif-regular.woff2"),
        render.FONTS.as_uri() + "/../../../../../../etc/passwd",
        render.FONTS.as_uri() + "/%2e%2e/render.py",
        render.FONTS.as_uri() + "/",
        (ROOT / "pyproject.toml").as_uri(),
    ],
)
def test_fetcher_refuses_anything_outside_the_notice_assets(url):
    with pytest.raises(PermissionError):
        NoticeURLFetcher().fetch(url)


def test_fetcher_serves_notice_fonts_stylesheet_and_data_uris():
    fetcher = NoticeURLFetcher()
    font = fetcher.fetch((render.FONTS / "notice-serif-bold.woff2").as_uri())
    assert font.read(4) == b"wOF2"
    css = fetcher.fetch(render.STYLESHEET.as_uri())
    assert css.content_type == "text/css"
    assert fetcher.fetch("data:text/plain;base64,5L2g5aW9").read() == "你好".encode()


def test_a_refused_resource_fails_the_render_instead_of_being_left_out(monkeypatch):
    html = render_html(make_facts("receipt")).replace(
        "</body>", '<img src="http://127.0.0.1:9/x.png"></body>'
    )
    monkeypatch.setattr(render._Renderer, "html", lambda self, facts, compact=False: html)
    with pytest.raises(render.NoticeRenderError):
        render_notice(make_facts("receipt"))


def test_unknown_kind_or_naive_time_is_refused():
    with pytest.raises(ValueError, match="unknown notice kind"):
        render_notice(make_facts("certificate"))
    with pytest.raises(ValueError, match="timezone-aware"):
        render_notice(make_facts(issued_at=datetime(2026, 3, 15, 10, 0)))


def test_concurrent_renders_from_threads_match_sequential_ones(rendered):
    kinds = ["payout", "receipt", "approval", "rejection"] * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        pdfs = list(pool.map(lambda kind: render_notice(make_facts(kind)), kinds))
    assert pdfs == [rendered[kind] for kind in kinds]


# Where the code is printed, in inches (x, y, width, height): a letter's first page carries
# it in the band above the name, the foot being the letterhead's double rule; the 文件格式
# in the foot margin.
QR_PLACES = {"payout": (1, 0, 3, 1.15), "send_back": (0, 10, 5, 2)}


@pytest.mark.parametrize("kind", sorted(QR_PLACES))
def test_qr_code_on_the_printed_page_decodes_to_the_verify_url(kind, tmp_path):
    # zbarimg (Debian zbar-tools) is an independent decoder; pdftoppm rasterises the
    # page as a printer or a phone camera would see it.
    zbarimg, pdftoppm = shutil.which("zbarimg"), shutil.which("pdftoppm")
    if zbarimg is None or pdftoppm is None:
        pytest.skip("needs zbarimg (zbar-tools) and pdftoppm (poppler-utils)")
    url = "https://approvals.example.gov.cn/verify/7KQ4-M2XD-9PWA"
    (tmp_path / "notice.pdf").write_bytes(render_notice(make_facts(kind, verify_url=url)))
    x, y, width, height = QR_PLACES[kind]
    for dpi in (100, 300):
        crop = [str(round(v * dpi)) for v in (x, y, width, height)]
        crop = ["-x", crop[0], "-y", crop[1], "-W", crop[2], "-H", crop[3]]
        subprocess.run(
            [pdftoppm, "-r", str(dpi), "-png", "-singlefile", *crop, "notice.pdf", "page"],
            cwd=tmp_path,
            check=True,
        )
        result = subprocess.run(
            [zbarimg, "--quiet", "--raw", "page.png"], cwd=tmp_path, capture_output=True, text=True
        )
        assert result.stdout.strip() == url, f"not decoded at {dpi} dpi"
