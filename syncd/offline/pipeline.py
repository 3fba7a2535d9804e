"""``import_file``: read, map, validate, normalise and de-duplicate one offline file.

Pure: bytes and settings in, an ``ImportResult`` out. Matching against existing people is
a function passed in (``match``), so ``--check`` runs the same code without it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence

from syncd.offline.dedupe import exact_duplicates
from syncd.offline.errors import FileRefused
from syncd.offline.headers import recognise
from syncd.offline.limits import Limits
from syncd.offline.mapping import SourceMapping
from syncd.offline.read import read_table
from syncd.offline.result import ImportResult, LineResult, Match
from syncd.offline.table import RawRecord, Table
from syncd.offline.values import row_values

__all__ = ["Deduplicate", "MatchExisting", "import_file"]

Deduplicate = Callable[[Sequence[Mapping]], Sequence[int | None]]
MatchExisting = Callable[[Sequence[Mapping]], Sequence[Match | None]]


def import_file(data: bytes, *, name: str, mapping: SourceMapping | None = None,
                mapping_origin: str | None = None, sheet: str | None = None,
                limits: Limits = Limits(), seen_hashes: frozenset[str] | None = None,
                deduplicate: Deduplicate = exact_duplicates,
                match: MatchExisting | None = None) -> ImportResult:
    """Every data record of ``data`` with exactly one outcome. ``FileRefused`` when the file
    as a whole cannot be read. ``seen_hashes``: content hashes imported before, from the
    state store; without one (``None``) whether the file was seen is unknown."""
    digest = hashlib.sha256(data).hexdigest()
    src = mapping.source if mapping else None
    read = read_table(data, limits=limits, encoding=src.encoding if src else None,
                      delimiter=src.delimiter if src else None,
                      sheet=sheet or (src.sheet if src else None))
    table = read.table
    mapping, origin, notes = _resolve(table, mapping, mapping_origin)
    if not any(r.cells and any(c.strip() for c in r.cells) for r in table.records):
        raise FileRefused(f"no data rows after the header on line {table.header_line}")
    seen = None if seen_hashes is None else digest in seen_hashes
    lines = _outcomes(table, mapping, bool(seen), deduplicate, match)
    unmapped = tuple(c for c in table.header if c and c not in mapping.used_columns())
    return ImportResult(file=name, content_hash=digest, already_imported=seen,
                        encoding=read.encoding, encoding_how=read.encoding_how,
                        delimiter=table.delimiter, sheet=table.sheet, mapping=mapping,
                        mapping_origin=origin, unmapped=unmapped,
                        notes=table.notes + tuple(notes), lines=tuple(lines))


def _resolve(table: Table, mapping: SourceMapping | None, origin: str | None):
    if mapping is not None:
        missing = [c for c in sorted(mapping.used_columns()) if c not in table.header]
        if missing:
            raise FileRefused(f"{origin or 'the source mapping'} names column(s) the file does not "
                              f"have: {', '.join(map(repr, missing))}; the file's columns: "
                              f"{', '.join(map(repr, table.header))}")
        return mapping, origin or "source mapping", []
    columns, notes = recognise(table.header)
    if not any(f in columns.values() for f in ("email", "first_name", "last_name", "full_name")):
        raise FileRefused("no column was recognised as a name or an email (columns: "
                          f"{', '.join(map(repr, table.header))}); write a source mapping "
                          "(--suggest-mapping FILE gives a start)")
    return SourceMapping(columns=columns), "recognised from the headers", notes


def _outcomes(table, mapping, seen, deduplicate, match) -> list[LineResult]:
    results: list[LineResult | None] = []
    pending: list[tuple[int, RawRecord, dict, tuple]] = []
    for raw in table.records:
        early = _early(raw, table.header, seen)
        if early is not None:
            results.append(early)
            continue
        row = row_values(dict(zip(table.header, raw.cells)), mapping)
        if row.rejected is not None:
            col, why = row.rejected
            results.append(LineResult(line=raw.line, outcome="rejected", reason=why, column=col,
                                      fields=row.fields))
            continue
        pending.append((len(results), raw, row.fields, row.dropped))
        results.append(None)
    _decide(pending, results, deduplicate, match)
    return [r for r in results if r is not None]


def _early(raw: RawRecord, header: tuple[str, ...], seen: bool) -> LineResult | None:
    """The outcome of a record that needs no field values: blank, unreadable, ragged, seen."""
    if not any(c.strip() for c in raw.cells) and raw.problem is None:
        return LineResult(line=raw.line, outcome="skipped", reason="blank row")
    if raw.problem is not None:
        col = _column_name(header, raw.column)
        return LineResult(line=raw.line, outcome="rejected", reason=raw.problem, column=col)
    extra = [i for i, c in enumerate(raw.cells) if i >= len(header) and c.strip()]
    if extra:
        return LineResult(line=raw.line, outcome="rejected", column=f"column {extra[0] + 1}",
                          reason=f"the row has {len(raw.cells)} cells, the header {len(header)} "
                                 "(a delimiter inside an unquoted cell?)")
    if seen:
        return LineResult(line=raw.line, outcome="skipped",
                          reason="this file was imported before (same content)")
    return None


def _column_name(header: tuple[str, ...], column: str | None) -> str | None:
    if column is None or not column.isdigit():
        return column
    index = int(column) - 1
    return header[index] if index < len(header) and header[index] else f"column {column}"


def _decide(pending, results, deduplicate, match) -> None:
    records = [fields for _, _, fields, _ in pending]
    earlier = deduplicate(records) if records else []
    matches = match(records) if (match and records) else [None] * len(records)
    for (slot, raw, fields, dropped), dup, found in zip(pending, earlier, matches):
        reason = "; ".join(f"{col} not used: {why}" for col, why in dropped)
        column = dropped[0][0] if dropped else None
        if dup is not None:
            first = pending[dup][1].line
            results[slot] = LineResult(line=raw.line, outcome="duplicate", fields=fields,
                                       reason=f"same person as line {first}", duplicate_of=first)
        elif found is not None and found.decision == "merge":
            results[slot] = LineResult(line=raw.line, outcome="merged", fields=fields, match=found,
                                       reason=reason, column=column)
        else:
            results[slot] = LineResult(line=raw.line, outcome="imported", fields=fields,
                                       match=found, reason=reason, column=column)
