"""The offline lead files as bytes: a trade-show CSV, a webinar XLSX, business cards.

Each file has its own column names and encoding, as exports from different tools do:

- ``tradeshow-saastr-<year>.csv``: UTF-8 with BOM, ``;`` separated, First/Last/E-mail/…
- ``webinar-<yyyy-mm>.xlsx``: one sheet "Registrants", Full Name/Email Address/…
- ``business-cards-latin1.csv``: cp1252, ``,`` separated, accented names, Full Name/…

Rows are numbered from 1 after the header (blank rows count), which is what ``truth``
refers to.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from .offline_rows import Row

__all__ = ["LATIN1_COLUMNS", "TRADESHOW_COLUMNS", "WEBINAR_COLUMNS", "latin1_csv",
           "tradeshow_csv", "webinar_xlsx"]

TRADESHOW_COLUMNS = ("First", "Last", "E-mail", "Company name", "Job title", "Phone number",
                     "Scanned at", "Notes")
WEBINAR_COLUMNS = ("Full Name", "Email Address", "Company", "Phone", "Registered at", "Attended")
LATIN1_COLUMNS = ("Full Name", "Company name", "Email Address", "Phone number", "Notes")
_NOTES = ("", "", "Wants pricing for 50 seats", "Met at the booth – call back next week",
          "Asked about the Salesforce sync", "Café chat, budget ~5.000 €", "Student")


def _full(v: dict) -> str:
    """First and last name in one cell; stray whitespace typed after either ends up trailing."""
    parts = (v.get("first", ""), v.get("last", ""))
    pad = next((p[len(p.rstrip()):] for p in parts if p != p.rstrip()), "")
    return " ".join(p.strip() for p in parts if p.strip()) + pad


def _csv(rows: list[list[str]], *, delimiter: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def tradeshow_csv(rows: list[Row], scanned: list[str]) -> bytes:
    """The trade-show badge-scan export (UTF-8 with BOM, semicolons)."""
    out = [list(TRADESHOW_COLUMNS)]
    for r, when in zip(rows, scanned):
        v = r.values
        out.append([""] * len(TRADESHOW_COLUMNS) if r.kind == "blank" else
                   [v.get("first", ""), v.get("last", ""), v.get("email", ""), v.get("company", ""),
                    v.get("title", ""), v.get("phone", ""), when, v.get("notes", "")])
    return _csv(out, delimiter=";").encode("utf-8-sig")


def latin1_csv(rows: list[Row], notes: list[int]) -> bytes:
    """Typed-in business cards (cp1252, commas, accented names)."""
    out = [list(LATIN1_COLUMNS)]
    for r, n in zip(rows, notes):
        v = r.values
        out.append([] if r.kind == "blank" else
                   [_full(v), v.get("company", ""), v.get("email", ""), v.get("phone", ""),
                    v.get("notes") or _NOTES[n % len(_NOTES)]])
    return _csv(out, delimiter=",").encode("cp1252")


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry one fixed timestamp, so the bytes are reproducible."""

    fixed = (2026, 1, 1, 0, 0, 0)

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=self.fixed)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        # openpyxl writes each sheet through a temporary file, whose mtime would land in
        # the zip: store its bytes under the fixed timestamp instead.
        with open(filename, "rb") as fh:
            self.writestr(str(arcname or filename), fh.read())


def webinar_xlsx(rows: list[Row], registered: list[datetime], attended: list[bool],
                 *, stamp: datetime) -> bytes:
    """The webinar registrants export; ``stamp`` fixes the workbook's created/modified."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Registrants"
    ws.append(list(WEBINAR_COLUMNS))
    for r, when, came in zip(rows, registered, attended):
        v = r.values
        ws.append([] if r.kind == "blank" else
                  [_full(v) or None, v.get("email") or None, v.get("company") or None,
                   v.get("phone") or None, when.astimezone(UTC).replace(tzinfo=None),
                   "Yes" if came else "No"])
    naive = stamp.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    wb.properties.created = wb.properties.modified = naive
    buf = io.BytesIO()
    archive = _FixedTimeZip(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    archive.fixed = naive.timetuple()[:6]
    ExcelWriter(wb, archive).save()
    return buf.getvalue()
