"""Bytes of any supported file to a ``Table`` plus how it was decoded."""

from __future__ import annotations

from dataclasses import dataclass

from syncd.offline.csv_reader import read_csv
from syncd.offline.encoding import decode
from syncd.offline.errors import FileRefused
from syncd.offline.limits import Limits
from syncd.offline.table import Table
from syncd.offline.xlsx_reader import is_xlsx, read_xlsx

__all__ = ["ReadFile", "read_table"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadFile:
    table: Table
    encoding: str
    encoding_how: str


def read_table(data: bytes, *, limits: Limits, encoding: str | None = None,
               delimiter: str | None = None, sheet: str | None = None) -> ReadFile:
    """Refuse what cannot be read (``FileRefused``), else the table and its encoding."""
    if len(data) > limits.max_bytes:
        raise FileRefused(f"the file is {len(data):,} bytes, over the cap of {limits.max_bytes:,}")
    if not data.strip():
        raise FileRefused("the file is empty")
    if is_xlsx(data):
        return ReadFile(table=read_xlsx(data, limits=limits, sheet=sheet), encoding="xlsx",
                        encoding_how="XLSX workbook (text is Unicode inside)")
    if sheet is not None:
        raise FileRefused(f"--sheet {sheet!r} was given, but the file is not an XLSX workbook")
    decoded = decode(data, declared=encoding)
    table = read_csv(decoded.text, limits=limits, delimiter=delimiter)
    return ReadFile(table=table, encoding=decoded.encoding, encoding_how=decoded.how)
