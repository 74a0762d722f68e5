"""Reading an uploaded list of eligible enterprises (CSV or XLSX) into numbered rows.

The list has a header row naming its columns (统一社会信用代码, 企业名称, 符合条件事实, 金额);
the columns may come in any order and the amount may be left out where the clause's amount
rule fixes it. Rows are numbered as the spreadsheet numbers them (the header is row 1), so
that the report's "row 7" is the row the department sees. A file that is neither, or has
no such header, is refused as a whole with what is wrong (422): nothing of it is read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from approvals.errors import Invalid
from approvals.i18n import N_

MAX_ROWS = 5000
# Column → the headings a department's spreadsheet may give it (Chinese first, as exported).
HEADINGS = {
    "credit_code": ("统一社会信用代码", "信用代码", "credit_code"),
    "name": ("企业名称", "单位名称", "名称", "name"),
    "fact": ("符合条件事实", "符合条件的事实", "认定事项", "事实", "fact"),
    "amount": ("金额", "金额（元）", "金额(元)", "兑现金额", "amount"),
}
REQUIRED = ("credit_code", "name", "fact")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it
    credit_code: str
    name: str
    fact: str
    amount: str  # as written; checked against the clause's amount rule


def _refuse(message: str) -> Invalid:
    return Invalid(message, code="bad_file", fields={"file": message})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 100000 is read as 100000.0
    return str(value).strip()


def _csv_lines(data: bytes) -> list[list[str]]:
    # Excel in China saves CSV as GB18030 (GBK); everything else as UTF-8, perhaps with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(N_("CSV 文件应为 UTF-8 或 GBK 编码的文字"))
    if "\x00" in text:
        raise _refuse(N_("文件不是 CSV 或 XLSX 表格"))
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise _refuse(f"CSV 文件格式有误：{exc}") from exc


def _xlsx_lines(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    # openpyxl raises many kinds of error on a damaged workbook (zip, XML, key, value…),
    # while opening it and while reading its rows lazily: each is the same bad file.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise _refuse(N_("文件不是有效的 XLSX 表格")) from exc
    try:
        if not book.worksheets:
            raise _refuse(N_("表格中没有工作表"))
        lines = []
        for values in book.worksheets[0].iter_rows(values_only=True):
            lines.append([_text(v) for v in values])
            if len(lines) > MAX_ROWS + 1:
                break
        return lines
    except Invalid:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _refuse(N_("文件不是有效的 XLSX 表格")) from exc
    finally:
        book.close()


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, heading in enumerate(header):
        for column, names in HEADINGS.items():
            if heading.strip() in names and column not in found:
                found[column] = index
    missing = [HEADINGS[c][0] for c in REQUIRED if c not in found]
    if missing:
        raise _refuse(
            f"第1行应为表头，缺少列：{'、'.join(missing)}"
            f"（应有：统一社会信用代码、企业名称、符合条件事实，以及需要时的金额）"
        )
    return found


def read_rows(filename: str, data: bytes) -> list[Row]:
    """The list's rows, blank ones skipped; raises Invalid (422) for a file it cannot read."""
    if not data:
        raise _refuse(N_("请选择要导入的 CSV 或 XLSX 文件"))
    name = (filename or "").lower()
    if data.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        lines = _xlsx_lines(data)
    elif name.endswith((".csv", ".txt")) or not name:
        lines = _csv_lines(data)
    else:
        raise _refuse(N_("只能导入 CSV 或 XLSX 文件"))
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise _refuse(N_("文件是空的：第1行应为表头"))
    columns = _columns([_text(cell) for cell in lines[0]])
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [_text(cell) for cell in line]
        if any(cells):
            values = {c: cells[i] if i < len(cells) else "" for c, i in columns.items()}
            rows.append(
                Row(
                    number,
                    values["credit_code"],
                    values["name"],
                    values["fact"],
                    values.get("amount", ""),
                )  # fmt: skip
            )
    if not rows:
        raise _refuse(N_("表头下没有数据行"))
    if len(rows) > MAX_ROWS:
        raise _refuse(f"一次最多导入{MAX_ROWS}行，请分批导入")
    return rows
