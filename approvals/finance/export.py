"""Tables as CSV (UTF-8 with BOM, for Excel) and XLSX files, written row by row: a CSV
streams as it is written, an XLSX spools to a temporary file, so memory stays flat."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to a spreadsheet: neutralise it, since
# enterprise names and project titles are typed by the public (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_chunks(headers: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The CSV, one encoded line at a time (the BOM first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    yield "\ufeff".encode()
    for row in [headers, *([_text(v) for v in r] for r in rows)]:
        writer.writerow(row)
        yield out.getvalue().encode("utf-8")
        out.seek(0)
        out.truncate()


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    return b"".join(csv_chunks(headers, rows))


def xlsx_file(title: str, headers: list[str], rows: list[list]) -> tempfile.SpooledTemporaryFile:
    """The workbook in a temporary file (in memory while small), positioned at its start.

    Write-only: openpyxl keeps no cells, but widths must be set before the first row, so
    they are measured from `rows` first (a report's rows are groups, never claims)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])  # Excel's limit on sheet names
    for i, header in enumerate(headers):
        width = max([len(str(header)) * 2] + [len(_text(r[i])) for r in rows])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(60, width + 2)

    def cell(value, bold=False):
        written = WriteOnlyCell(sheet, value if isinstance(value, Decimal | int) else _text(value))
        if bold:
            written.font = Font(bold=True)
        if isinstance(value, Decimal):
            written.number_format = "#,##0.00"
        return written

    sheet.append([cell(h, bold=True) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    # The caller closes it once read (xlsx_chunks).
    out = tempfile.SpooledTemporaryFile(max_size=1 << 20)  # noqa: SIM115
    book.save(out)
    out.seek(0)
    return out


def xlsx_chunks(title: str, headers: list[str], rows: list[list]) -> Iterator[bytes]:
    """The workbook's bytes, read from its temporary file, closed once read (or abandoned)."""
    with xlsx_file(title, headers, rows) as out:
        yield from iter(lambda: out.read(1 << 16), b"")


def xlsx_bytes(title: str, headers: list[str], rows: list[list]) -> bytes:
    return b"".join(xlsx_chunks(title, headers, rows))


FORMATS = ("csv", "xlsx")


def download(title: str, headers: list[str], rows: list[list], fmt: str, filename: str):
    """A table as a streamed attachment in `fmt` (one of FORMATS), named `filename`."""
    if fmt == "xlsx":
        chunks, mimetype = xlsx_chunks(title, headers, rows), XLSX_MIME
    else:
        chunks, mimetype = csv_chunks(headers, rows), CSV_MIME
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
