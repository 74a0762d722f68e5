"""The oversight page: 市府办 (and the administrator) read it, an enterprise is refused; its
CSV and XLSX exports hold the rows the page shows; the English page shows no Chinese but
names and data."""

from __future__ import annotations

import csv
import html
import io
import re

from openpyxl import load_workbook

from tests.web.conftest import text

HAN = re.compile(r"[\u4e00-\u9fff]")
ROW = re.compile(r'<tr data-department="[^"]+" data-year="\d+">(.*?)</tr>', re.S)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.S)


def _section(page: str, key: str) -> str:
    start = page.index(f'id="oversight-{key}"')
    return page[start : page.index("</section>", start)]


def _page_rows(page: str, key: str) -> list[list[str]]:
    rows = []
    for row in ROW.findall(_section(page, key)):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in CELL.findall(row)]
        rows.append(["" if c == "—" else c for c in cells])
    return rows


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _same(page_cell: str, file_cell) -> bool:
    """A median prints as 6.2 on the page and 6.20 in the CSV (money's two places)."""
    if str(file_cell) == page_cell:
        return True
    try:
        return float(page_cell) == float(file_cell)
    except (TypeError, ValueError):
        return False


def test_city_office_reads_the_page_and_an_enterprise_is_refused(claims, web):
    claims(1, to="disbursed")
    claims(1, to="submitted", policy="KJJ-HITECH")
    gov = web("gov")
    res = gov.get("/oversight")
    assert res.status_code == 200
    page = text(res)
    assert 'href="/oversight"' in page  # in gov's navigation
    rows = {r[0]: r for r in _page_rows(page, "figures")}
    assert rows["市经贸局"][2:6] == ["1", "1", "0", "1"]  # received, decided, overdue, paid
    assert rows["市科技局"][2:6] == ["1", "0", "0", "0"]
    assert 'class="department-chart" data-department="JMJ"' in page
    assert "<svg" in _section(page, "charts")
    assert web("admin").get("/oversight").status_code == 200
    assert web("ent_huadong").get("/oversight").status_code == 403
    assert web("reviewer_jmj").get("/oversight/figures.csv").status_code == 403
    assert web("finance").get("/oversight").status_code == 403
    assert "/signin" in web(None).get("/oversight").headers["Location"]
    assert gov.get("/oversight/figures.pdf").status_code == 404


def test_exports_hold_the_rows_of_the_page(claims, web, seeded):
    claims(2, to="finance_review")
    claims(1, to="submitted", policy="KJJ-HITECH")
    gov = web("gov")
    page = text(gov.get("/oversight"))
    for key in ("figures", "stages"):
        shown = _page_rows(page, key)
        assert shown
        res = gov.get(f"/oversight/{key}.csv")
        assert res.status_code == 200 and res.mimetype == "text/csv"
        header, *rows = _csv_rows(res.data)
        assert len(rows) == len(shown)
        for r, s in zip(rows, shown, strict=True):
            assert all(_same(p, f) for p, f in zip(s, r, strict=True))
        res = gov.get(f"/oversight/{key}.xlsx")
        assert res.status_code == 200
        sheet = load_workbook(io.BytesIO(res.data), read_only=True).active
        _, *cells = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert len(cells) == len(shown)
        for r, s in zip(cells, shown, strict=True):
            assert all(_same(p, "" if f is None else f) for p, f in zip(s, r, strict=True))
    # One call year: the rows of that year, the file named after it.
    year = _page_rows(page, "figures")[0][1]
    res = gov.get(f"/oversight/figures.csv?year={year}")
    assert f"oversight-figures-{year}.csv" in res.headers["Content-Disposition"]
    assert {row[1] for row in _csv_rows(res.data)[1:]} == {year}
    assert _page_rows(text(gov.get("/oversight?year=1999")), "figures") == []


def test_english_page_shows_no_chinese_but_data(claims, web):
    claims(1, to="approved")
    gov = web("gov")
    gov.get("/lang/en")
    page = text(gov.get("/oversight"))
    main = page[page.index("<main") : page.index("</main>")]
    for heading in ("Oversight", "Claims by department", "Median days per stage", "Received"):
        assert heading in main
    assert "Economic &amp; Trade Bureau" in main
    assert not HAN.findall(re.sub(r"<[^>]+>", " ", main)), "Chinese on the English page"
    header = _csv_rows(gov.get("/oversight/figures.csv").data)[0]
    assert header[:3] == ["Department", "Claim year", "Received"]
