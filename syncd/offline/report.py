"""Rendering an ``ImportResult``: the JSON report, a short text summary, and the mapping
used as TOML (to save as ``mappings/offline/<source>.toml`` and edit). Every string that
goes into a file passes ``neutralise`` (formula injection)."""

from __future__ import annotations

import json

from syncd.offline.mapping import SourceMapping
from syncd.offline.result import ImportResult, LineResult
from syncd.offline.safe import neutralise, neutralise_all

__all__ = ["mapping_toml", "report_json", "summary_text"]


def report_json(result: ImportResult) -> dict:
    """The report: ``file, encoding, delimiter, mapping, counts, lines`` and a few facts more."""
    report = {
        "file": result.file,
        "content_hash": result.content_hash,
        "already_imported": result.already_imported,
        "encoding": result.encoding,
        "encoding_detected_by": result.encoding_how,
        "delimiter": result.delimiter,
        "sheet": result.sheet,
        "mapping": {"origin": result.mapping_origin, "columns": dict(result.mapping.columns),
                    "unmapped_columns": list(result.unmapped),
                    "source": result.mapping.source.model_dump(mode="json", exclude_none=True)},
        "notes": list(result.notes),
        "counts": result.counts(),
        "lines": [_line(line) for line in result.lines],
    }
    return neutralise_all(report)


def _line(line: LineResult) -> dict:
    out = {"line": line.line, "outcome": line.outcome, "reason": line.reason or None,
           "column": line.column, "fields": dict(line.fields)}
    if line.duplicate_of is not None:
        out["duplicate_of"] = line.duplicate_of
    if line.match is not None:
        out["match"] = {"decision": line.match.decision, "existing_id": line.match.existing_id,
                        "match_probability": round(line.match.probability, 6),
                        "evidence": list(line.match.evidence)}
    return out


def summary_text(result: ImportResult, *, problems: int = 20) -> str:
    """A few lines for a terminal: the file's facts, counts, and the first problems."""
    counts = result.counts()
    out = [f"file: {result.file}",
           f"encoding: {result.encoding} ({result.encoding_how})",
           f"delimiter: {result.delimiter!r}" if result.delimiter else f"sheet: {result.sheet}",
           f"mapping: {result.mapping_origin}"]
    if result.unmapped:
        out.append(f"columns not used: {', '.join(result.unmapped)}")
    out += [f"note: {n}" for n in result.notes]
    out.append("records: " + ", ".join(f"{k} {v}" for k, v in counts.items() if k != "records")
               + f" (of {counts['records']})")
    shown = [line for line in result.lines if line.outcome in ("rejected", "duplicate") or line.reason]
    for line in shown[:problems]:
        where = f" [{line.column}]" if line.column else ""
        out.append(f"  line {line.line}: {line.outcome}{where} {line.reason}".rstrip())
    if len(shown) > problems:
        out.append(f"  … {len(shown) - problems} more in the JSON report (--report-json)")
    return "\n".join(out)


def mapping_toml(mapping: SourceMapping, *, unmapped: tuple[str, ...] = (), header: str = "") -> str:
    """``mapping`` as a TOML source mapping (keys quoted, values neutralised); columns it
    does not use are listed as comments to map or ignore."""
    lines = [f"# {line}" for line in header.splitlines()]
    if mapping.ignore:
        lines.append(f"ignore = {_toml_value(list(mapping.ignore))}")
    source = mapping.source.model_dump(mode="json", exclude_none=True)
    lines.append("\n[source]")
    lines += [f"{k} = {_q(v)}" for k, v in source.items()]
    if not source:
        lines += ['# lead_source = "Trade Show"', '# campaign = "…"', '# default_country = "US"']
    lines.append("\n[columns]")
    lines += [f"{_q(col)} = {_q(field)}" for col, field in mapping.columns.items()]
    lines += [f"# {_q(col)} = \"…\"  # not recognised: map it to a field, or list it in ignore"
              for col in unmapped]
    for name in ("consent", "hand_raise"):
        rule = getattr(mapping, name)
        if rule is not None:
            lines.append(f"\n[{name}]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in rule.model_dump(mode="json").items()]
    return "\n".join(lines).lstrip("\n") + "\n"


def _q(value) -> str:
    return json.dumps(neutralise(str(value)), ensure_ascii=False)


def _toml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_q(v) for v in value) + "]"
    return _q(value)
