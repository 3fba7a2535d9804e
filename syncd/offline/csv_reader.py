"""CSV text to a ``Table``: delimiter sniffed, quoted multi-line cells kept, and every
record numbered by the line it starts on.

Broken quoting (a quote never closed, or closed mid-cell) is caught per record: that record
is rejected and reading resumes on the next line, so one stray quote cannot swallow the
rest of the file.
"""

from __future__ import annotations

import csv
import re
from collections import Counter

from syncd.offline.errors import FileRefused
from syncd.offline.limits import Limits
from syncd.offline.table import RawRecord, Table

__all__ = ["read_csv"]

_CANDIDATES = ",;\t|"
# Our own cap (Limits.max_field) decides what is too long, not the csv module's default.
csv.field_size_limit(2**31 - 1)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def read_csv(text: str, *, limits: Limits, delimiter: str | None = None) -> Table:
    """Parse ``text``; refuse a file with no header or more records than ``limits`` allow."""
    lines = _LINE.findall(text)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise FileRefused("the file is empty")
    delimiter = delimiter or _sniff(lines[first:first + 50])
    records = list(_records(lines, first, delimiter, limits))
    head = records[0]
    if head.problem or len([c for c in head.cells if c.strip()]) < 1:
        raise FileRefused(f"no header on line {head.line}: {head.problem or 'the line is blank'}")
    if not _looks_like_header(head.cells):
        raise FileRefused(f"no header: line {head.line} holds data ({_shown(head.cells)}); "
                          "add a line of column names first")
    return Table(header=tuple(c.strip() for c in head.cells), header_line=head.line,
                 records=tuple(records[1:]), delimiter=delimiter)


def _sniff(sample: list[str]) -> str:
    """The candidate that splits the sample lines into the same number (> 1) of cells most often."""
    best, best_score = ",", -1.0
    for cand in _CANDIDATES:
        counts = Counter(len(row) for row in csv.reader(sample, delimiter=cand))
        width, agree = counts.most_common(1)[0] if counts else (1, 0)
        score = agree + (width / 100) if width > 1 else -1
        if score > best_score:
            best, best_score = cand, score
    return best


class _Lines:
    """An iterator over the physical lines that knows where it is, so reading can resume."""

    def __init__(self, lines: list[str], pos: int) -> None:
        self.lines, self.pos = lines, pos

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _records(lines: list[str], start: int, delimiter: str, limits: Limits):
    source = _Lines(lines, start)
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    count, width = 0, None
    while source.pos < len(lines):
        begin = source.pos
        record = _next_record(reader, source, begin, width, limits)
        if record.problem and record.problem.startswith("broken quoting"):
            source.pos = begin + 1  # resume on the next line with a fresh reader
            reader = csv.reader(source, delimiter=delimiter, strict=True)
        width = width or len(record.cells)
        count += 1
        if count > limits.max_rows + 1:
            raise FileRefused(f"more than {limits.max_rows} data records (the cap); split the file")
        yield record


def _next_record(reader, source: _Lines, begin: int, width: int | None, limits: Limits) -> RawRecord:
    line = begin + 1
    try:
        cells = next(reader)
    except csv.Error as exc:
        return RawRecord(line=line, cells=(), problem=f"broken quoting: {_explain(exc)}")
    used = source.pos - begin
    if used > 1:
        raw = "".join(source.lines[begin:source.pos])
        if raw.count('"') % 2 or (width and len(cells) != width):
            return RawRecord(line=line, cells=(), problem=(
                f"broken quoting: a quote opened on line {line} runs over {used} lines"))
    long = next((i for i, c in enumerate(cells) if len(c) > limits.max_field), None)
    if long is not None:
        return RawRecord(line=line, cells=tuple(cells), column=str(long + 1), problem=(
            f"cell is {len(cells[long])} characters long (the cap is {limits.max_field})"))
    return RawRecord(line=line, cells=tuple(cells))


def _explain(exc: csv.Error) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return "a quote opened on this line is never closed"
    if "expected after" in text:
        return "text follows a closing quote (write a quote inside a quoted cell as two quotes)"
    return text


def _looks_like_header(cells) -> bool:
    """Column names are words: a first line of emails, numbers or dates is data."""
    filled = [c.strip() for c in cells if c.strip()]
    if any(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", c) for c in filled):
        return False
    numeric = sum(1 for c in filled if re.fullmatch(r"[\d\s+().:/-]+", c))
    return bool(filled) and numeric * 2 < len(filled)


def _shown(cells) -> str:
    return ", ".join(c for c in cells[:4] if c)[:80]
