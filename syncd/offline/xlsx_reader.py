"""XLSX workbooks to a ``Table``.

A workbook with several sheets holding data is refused unless one is chosen (``--sheet``
or ``sheet`` in the source mapping). Title rows above the header are skipped and named; a
merged header cell gives its text to every column it spans, and a merged group heading
over a row of sub-headings is joined to them ("Contact" over "First", "Last").
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

from syncd.offline.errors import FileRefused
from syncd.offline.limits import Limits
from syncd.offline.table import RawRecord, Table

__all__ = ["is_xlsx", "read_xlsx"]


def is_xlsx(data: bytes) -> bool:
    """An XLSX file is a zip archive holding ``xl/workbook.xml``."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def read_xlsx(data: bytes, *, limits: Limits, sheet: str | None = None) -> Table:
    """The chosen (or only) sheet with data as a ``Table``."""
    from openpyxl import load_workbook

    try:
        # Not read-only: merged cell ranges are only known to a fully loaded sheet.
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged archives
        raise FileRefused(f"not a readable XLSX workbook: {exc}") from None
    ws = _choose(wb, sheet)
    if ws.max_row > limits.max_rows + 20:
        raise FileRefused(f"sheet {ws.title!r} has {ws.max_row} rows, more than the cap of "
                          f"{limits.max_rows}; split the file")
    rows = [[_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    _spread_merged(ws, rows)
    return _table(rows, ws, limits)


def _choose(wb, sheet: str | None):
    names = wb.sheetnames
    if sheet is not None:
        if sheet not in names:
            raise FileRefused(f"no sheet {sheet!r} in the workbook; its sheets: {', '.join(names)}")
        return wb[sheet]
    filled = [n for n in names if _has_data(wb[n])]
    if len(filled) > 1:
        raise FileRefused(f"the workbook has {len(filled)} sheets with data ({', '.join(filled)}): "
                          "choose one with --sheet NAME (or sheet = \"NAME\" in the source mapping)")
    if not filled:
        raise FileRefused("the workbook's sheets are empty")
    return wb[filled[0]]


def _has_data(ws) -> bool:
    return any(v not in (None, "") for row in ws.iter_rows(values_only=True) for v in row)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _spread_merged(ws, rows: list[list[str]]) -> None:
    """Copy a merged range's text into every cell of the range (rows above the data only
    matter here, but a merged data cell reads the same way)."""
    for rng in ws.merged_cells.ranges:
        value = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(rows) else ""
        for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if c - 1 < len(rows[r - 1]):
                    rows[r - 1][c - 1] = value


def _table(rows: list[list[str]], ws, limits: Limits) -> Table:
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header_at = _header_row(rows)
    notes = [f"row {i + 1} skipped as a title: {_joined(rows[i])!r}"
             for i in range(header_at) if any(rows[i])]
    header = rows[header_at]
    first_data = header_at + 1
    grouped = _grouped_header(ws, header_at, rows)
    if grouped is not None:
        header, first_data = grouped, header_at + 2
        notes.append(f"rows {header_at + 1}–{header_at + 2} read as one header (merged group headings)")
    records = tuple(_record(i + 1, row, limits) for i, row in enumerate(rows) if i >= first_data)
    return Table(header=tuple(h.strip() for h in header), header_line=header_at + 1,
                 records=records, sheet=ws.title, notes=tuple(notes))


def _header_row(rows: list[list[str]]) -> int:
    """The first row with at least two distinct texts: rows above it are titles."""
    for i, row in enumerate(rows[:20]):
        if len({c.strip() for c in row if c.strip()}) >= 2:
            return i
    raise FileRefused("no header: no row in the first 20 names two or more columns")


def _grouped_header(ws, at: int, rows) -> list[str] | None:
    spans = [r for r in ws.merged_cells.ranges if r.min_row == at + 1 == r.max_row and r.max_col > r.min_col]
    if not spans or at + 1 >= len(rows):
        return None
    below = rows[at + 1]
    if not all(below[c - 1].strip() for r in spans for c in range(r.min_col, r.max_col + 1)):
        return None
    inside = {c for r in spans for c in range(r.min_col, r.max_col + 1)}
    return [f"{rows[at][c - 1]} {below[c - 1]}".strip() if c in inside else rows[at][c - 1] or below[c - 1]
            for c in range(1, len(rows[at]) + 1)]


def _record(line: int, row: list[str], limits: Limits) -> RawRecord:
    long = next((i for i, c in enumerate(row) if len(c) > limits.max_field), None)
    if long is not None:
        return RawRecord(line=line, cells=tuple(row), column=str(long + 1), problem=(
            f"cell is {len(row[long])} characters long (the cap is {limits.max_field})"))
    return RawRecord(line=line, cells=tuple(row))


def _joined(row: list[str]) -> str:
    return " ".join(dict.fromkeys(c for c in row if c))[:80]
