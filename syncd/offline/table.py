"""What a reader hands on: a header and raw records, each with the line it starts on.

A record the reader itself could not make sense of (broken quoting, a cell over the cap)
arrives with ``problem`` set, so it still gets exactly one outcome.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RawRecord", "Table"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RawRecord:
    """``line``: where the record starts in the file (1-based; a sheet's row number)."""

    line: int
    cells: tuple[str, ...]
    problem: str | None = None
    column: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """``header`` names the columns; ``records`` are the data records after it, blank ones included."""

    header: tuple[str, ...]
    header_line: int
    records: tuple[RawRecord, ...]
    delimiter: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = ()
