"""Statistics rows as files: CSV (one view) and XLSX (one sheet per view).

The CSV is for machines: comma-separated, ISO dates, a dot as decimal mark. The workbook
is for people in a German office: real dates shown as TT.MM.JJJJ and numbers with one
decimal (the spreadsheet shows its locale's decimal comma), a header row, frozen panes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from server.domain.aggregate import View

# The sheets of a workbook, by the view asked for: that view and the coarser ones. The
# hourly sheet (a year: ~30,000 rows) only when asked for, so the usual export stays quick.
WORKBOOK_SHEETS = {
    View.DAY: (View.DAY, View.QUEUE, View.WEEKDAY_HOUR),
    View.HOUR: (View.HOUR, View.DAY, View.QUEUE, View.WEEKDAY_HOUR),
    View.QUEUE: (View.QUEUE, View.WEEKDAY_HOUR),
    View.WEEKDAY_HOUR: (View.WEEKDAY_HOUR, View.QUEUE),
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
DECIMAL_FORMAT = "#,##0.0"
INTEGER_FORMAT = "#,##0"


def to_csv(rows: Sequence[Mapping[str, Any]], header: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _cell(sheet: Any, key: str, value: Any) -> WriteOnlyCell:
    if key == "day" and isinstance(value, str):
        value = date.fromisoformat(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, float):
        cell.number_format = DECIMAL_FORMAT
    elif isinstance(value, int):
        cell.number_format = INTEGER_FORMAT
    return cell


def to_xlsx(sheets: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]]) -> bytes:
    """One sheet per entry (title -> (header, rows)), a bold header row frozen on top."""
    book = Workbook(write_only=True)
    for title, (keys, rows) in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        header = []
        for key in keys:
            cell = WriteOnlyCell(sheet, value=key)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(sheet, key, row[key]) for key in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
