"""GB/T 9704-2012 as an official checks it, measured on every kind of notice: the masthead's
place, the rules, the number, the 版记 at the foot of the last page, a seal that covers no
text but the issuer and the date, one page for every claim notice."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from approvals.notices import render
from approvals.notices.facts import KIND_TITLES, ReceivedFile
from approvals.notices.render import render_notice
from tests.notices.pdfmeasure import ink_box, pages_of, red_ink, rules
from tests.notices.test_render import make_facts

LEFT, RIGHT = 28.0, 184.0  # the 156 mm text block
BLOCK_BOTTOM = 262.0  # 37 + 225 mm
DATE_CHARS = set("0123456789年月日")
# What each kind carries at its fullest: the payout of a scaled claim paid after the
# government's approval, a receipt of five files, a supplement with its deadline, the
# recovery notices with every figure of their case.
DUE, REPAID, LEFT_OWED = Decimal("100005.50"), Decimal("60004.95"), Decimal("40000.55")
FULLEST = {
    "payout": {
        "via_government": True,
        "paid_amount": Decimal("90004.95"),
        "reduction": Decimal("10000.55"),
        "reduction_reason": "专项资金不足，按比例核减，核减部分不再拨付",
        "payee_bank_name": "中国工商银行股份有限公司示范市城东支行",
        "payee_account": "**** **** 5678",
        "payee_account_name": "王堃精密机械（苏州）有限公司",
    },
    "receipt": {
        "received": tuple(
            ReceivedFile(label, f"{label}（2026年度）扫描件.pdf", "1a2b3c4d")
            for label in ("营业执照", "项目方案", "财务审计报告", "投资证明", "其他材料")
        ),
        "approved_amount": None,
    },
    "supplement": {"supplement_due": date(2027, 1, 15), "supplement_days": 10},
    "lapse": {"supplement_due": date(2027, 1, 15)},
    "finance_opinion": {"cc": ("示范市经济贸易局", "示范市人民政府办公室")},
    "recovery": {"recovery_due": DUE},
    "repayment": {
        "recovery_due": DUE,
        "repayment": Decimal("30002.45"),
        "repaid_total": REPAID,
        "outstanding": LEFT_OWED,
    },
    "recovery_closed": {"recovery_due": DUE, "repaid_total": DUE},
    "write_off": {"recovery_due": DUE, "repaid_total": REPAID, "amount_written_off": LEFT_OWED},
}
LETTERS = sorted(kind for kind in KIND_TITLES if make_facts(kind).letter)
DOCUMENTS = sorted(kind for kind in KIND_TITLES if not make_facts(kind).letter)


def fullest(kind: str, **overrides):
    return make_facts(kind, **{**FULLEST.get(kind, {}), **overrides})


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """kind → (pdf, text lines per page, red ink per page)."""
    tmp = tmp_path_factory.mktemp("layout")
    result = {}
    for kind in KIND_TITLES:
        pdf = render_notice(fullest(kind))
        result[kind] = (pdf, pages_of(pdf, tmp), red_ink(pdf, tmp))
    return result


def line_with(lines, pattern: str):
    found = [line for line in lines if re.search(pattern, line.text)]
    assert found, f"no line matches {pattern!r}"
    return found[0]


@pytest.mark.parametrize("kind", sorted(KIND_TITLES))
def test_every_claim_notice_is_one_page_at_its_fullest(kind, measured):
    _, pages, ink = measured[kind]
    assert len(pages) == 1 and len(ink) == 1


@pytest.mark.parametrize("kind", LETTERS)
def test_a_letter_has_the_full_name_30mm_down_between_red_double_rules(kind, measured):
    _, [lines], [ink] = measured[kind]
    bands = rules(ink, min_length_mm=160)
    # below the name: thick above thin; 20 mm above the bottom edge: thin above thick
    upper = [band for band in bands if band.top < 60]
    lower = [band for band in bands if band.top > 260]
    assert len(upper) == 2 and len(lower) == 2, bands
    masthead = ink_box(ink, 0, upper[0].top - 0.3)
    assert 29.5 <= masthead.top <= 31.5, f"name's top edge {masthead.top:.1f} mm from the top"
    assert line_with(lines, "^示范市经济贸易局$")  # without 文件
    assert upper[0].thickness > upper[1].thickness
    assert lower[0].thickness < lower[1].thickness
    assert 3 <= upper[0].top - masthead.bottom <= 5.5  # 4 mm under the name
    assert 275.5 <= lower[1].bottom <= 278  # its lower edge 20 mm above the bottom edge
    for band in upper + lower:  # 170 mm, centred on the block
        assert band.right - band.left == pytest.approx(170, abs=1.5)
        assert (band.left + band.right) / 2 == pytest.approx((LEFT + RIGHT) / 2, abs=1)
    number = line_with(lines, r"^经贸兑〔2026〕15号$")
    assert number.box.right == pytest.approx(RIGHT, abs=1.5)  # flush right
    assert 0 <= number.box.top - upper[1].bottom <= 5  # under the rule
    title = line_with(lines, "^示范市经济贸易局关于|^[^示].*(回执|确认书|意见书|告知书)$")
    # set apart from the number (less than the standard's two lines, to keep one page)
    assert title.box.top - number.box.bottom >= 3.5
    assert not any(re.fullmatch(r"—\d+—", line.text) for line in lines)  # no page number


@pytest.mark.parametrize("kind", DOCUMENTS)
def test_a_document_has_name_and_wenjian_then_the_number_and_a_red_rule(kind, measured):
    _, [lines], [ink] = measured[kind]
    masthead = line_with(lines, "^示范市经济贸易局文件$")
    assert 36 <= ink_box(ink, 0, 60).top <= 40  # on the block's top edge, as before
    number = line_with(lines, r"^经贸兑〔2026〕15号$")
    assert number.box.centre_x == pytest.approx((LEFT + RIGHT) / 2, abs=2)  # centred
    assert number.box.top > masthead.box.bottom
    [rule] = [band for band in rules(ink, min_length_mm=150) if band.top < 80]
    assert 3 <= rule.top - number.box.bottom <= 5.5  # the red rule 4 mm under the number
    assert rule.left == pytest.approx(LEFT, abs=1) and rule.right == pytest.approx(RIGHT, abs=1)
    assert line_with(lines, r"^—1—$")  # the 文件格式 numbers its pages


@pytest.mark.parametrize("kind", sorted(KIND_TITLES))
def test_imprint_stands_at_the_foot_of_the_last_page(kind, measured):
    pdf, pages, _ = measured[kind]
    last = pages[-1]
    facts = fullest(kind)
    in_block = [line for line in last if line.box.bottom <= BLOCK_BOTTOM + 1]
    foot = max(in_block, key=lambda line: line.box.bottom)
    if facts.letter:
        # 信函格式: 抄送 only, at the foot of the block, without 印发机关 and 印发日期
        assert foot.text.startswith("抄送：") and foot.box.bottom >= BLOCK_BOTTOM - 4
        assert not any("印发" in line.text for page in pages for line in page)
    else:
        # 印发机关 flush left and 印发日期 flush right, on the block's last line
        row = "".join(
            line.text
            for line in sorted(in_block, key=lambda line: line.box.left)
            if abs(line.box.bottom - foot.box.bottom) < 1
        )
        assert row == "示范市经济贸易局2026年3月15日印发"
        assert foot.box.bottom >= BLOCK_BOTTOM - 5
        if facts.cc:
            cc = line_with(last, "^抄送：")
            assert cc.box.bottom <= foot.box.top + 1


@pytest.mark.parametrize("kind", sorted(KIND_TITLES))
def test_seal_covers_no_text_but_the_issuer_and_the_date(kind, measured):
    _, [lines], [ink] = measured[kind]
    title_bottom = line_with(lines, r"^经贸兑〔2026〕15号$").box.bottom + 10
    seal = ink_box(ink, title_bottom, 270)  # below the head, above the lower double rule
    assert seal is not None and seal.bottom - seal.top == pytest.approx(39, abs=1.5)
    signature = [line for line in lines if seal.top < line.box.top < seal.bottom]
    issuer = line_with(signature, "示范市经济贸易局$")
    # the seal presses on the name and the date
    assert line_with(signature, "^2026年3月15日$").box.top > issuer.box.top
    assert seal.centre_x == pytest.approx(issuer.box.centre_x, abs=4)  # centred over both
    allowed = set("示范市经济贸易局") | DATE_CHARS
    covered = [
        word.text
        for line in lines
        for word in line.words
        if word.box.intersects(seal) and not set(word.text) <= allowed
    ]
    assert covered == [], f"the seal covers {covered}"


@pytest.mark.parametrize("kind", ["payout", "receipt"])
def test_a_table_never_breaks_a_claim_number_or_payment_reference(kind, measured):
    _, [lines], _ = measured[kind]
    words = {word.text for line in lines for word in line.words}
    assert "SB-2026-000123" in words
    if kind == "payout":
        assert "CZ2026-0315-0042" in words
        assert any("****" in word for word in words) and "5678" in words


# The batch list ---------------------------------------------------------------------------


def batch_context(count: int) -> dict:
    """The context of templates/notices/batch_list.html, as finance/batch_notice.py builds it."""
    rows = [
        {
            "enterprise": f"示范市第{n}精密机械制造有限公司",
            "claim_number": f"2026-JMJ-{n:06d}",
            "via_government": n % 3 == 0,
            "policy": "“零土地”技术改造项目补助",
            "funding_type": "无偿资助",
            "amount": "1,000,000.00",
            "reference": f"CZ2027-0315-{n:04d}",
        }
        for n in range(1, count + 1)
    ]
    url = "https://approvals.example.gov.cn/verify/7KQ4-M2XD-9PWA"
    return {
        "number": "财兑〔2027〕8号",
        "issuer_name": "示范市财政局",
        "heading": "示范市财政局关于下达2027年第一批政策兑现资金拨付清单的通知",
        "we": "我局",
        "addressees": ["示范市经济贸易局"],
        "cc": ["示范市人民政府办公室"],
        "contact_name": "王芳",
        "contact_phone": "0573-82100201",
        "government": sum(row["via_government"] for row in rows),
        "all_accounts": True,
        "batch_name": "2027年第一批",
        "issued_on": "2027年3月15日",
        "created": "2027-03-15T02:00:00Z",
        "count": count,
        "total": render.amount(Decimal(1_000_000 * count)),
        "total_figures": f"{1_000_000 * count:,.2f}",
        "by_type": [("无偿资助", count, f"{1_000_000 * count:,.2f}")],
        "scaled": False,
        "rows": rows,
        "seal": render.seal("示范市财政局"),
        "verification_code": "7KQ4-M2XD-9PWA",
        "verify_url": url,
        "qr_uri": render.qr_data_uri(url),
        "total_amount": Decimal(1_000_000 * count),
    }


# From few items to many: the page breaks fall before, inside and after the closing.
@pytest.mark.parametrize("count", [1, 8, 9, 10, 13, 30, 45])
def test_batch_list_never_leaves_the_seal_alone_on_a_page(count, tmp_path):
    pdf = render.render_document(
        "notices/batch_list.html", batch_context(count), identifier=b"0" * 32
    )
    pages, ink = pages_of(pdf, tmp_path), red_ink(pdf, tmp_path, dpi=60)
    sealed = [n for n, mask in enumerate(ink) if ink_box(mask, 80 if n == 0 else 0, 262)]
    assert len(sealed) == 1
    page = pages[sealed[0]]
    text = [line.text for line in page]
    # the seal's page also holds an item, the totals, the signature, the date and the 版记
    assert any(line.startswith("合计") for line in text), text
    assert any(word.text.startswith("2026-JMJ-") for line in page for word in line.words)
    assert "示范市财政局" in text and any("2027年3月15日" in line for line in text)
    assert sealed[0] == len(pages) - 1 and any("2027年3月15日印发" in line for line in text)
    words = {word.text for page in pages for line in page for word in line.words}
    outside = [
        word.text
        for page in pages
        for line in page
        for word in line.words
        if word.box.right > RIGHT + 0.5 and word.box.bottom < BLOCK_BOTTOM
    ]
    assert outside == [], f"beyond the text block: {outside}"
    for n in range(1, count + 1):  # no claim number or reference broken across lines
        assert f"2026-JMJ-{n:06d}" in words and f"CZ2027-0315-{n:04d}" in words
    seal = ink_box(ink[sealed[0]], 80 if sealed[0] == 0 else 0, 262)
    allowed = set("示范市财政局") | DATE_CHARS
    covered = [
        word.text
        for line in page
        for word in line.words
        if word.box.intersects(seal) and not set(word.text) <= allowed
    ]
    assert covered == [], f"the seal covers {covered}"
