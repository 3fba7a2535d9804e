"""Running the rows of a Bulk API 2.0 ingest job through the shared write path."""

from __future__ import annotations

import csv
import io

from .errors import RowError
from .writes import Outcome, WriteContext, create, delete, update, upsert

__all__ = ["DELIMITERS", "parse_upload", "process_rows", "results_csv"]

DELIMITERS = {"COMMA": ",", "TAB": "\t", "PIPE": "|", "SEMICOLON": ";", "CARET": "^",
              "BACKQUOTE": "`"}


def parse_upload(job: dict, schemas: dict) -> str | None:
    """Parse the uploaded CSV into ``job['header']``/``job['rows']``; an error text or None."""
    info = job["info"]
    text = job.get("upload") or ""
    if not text.strip():
        return "InvalidBatch : No data was uploaded for this job"
    reader = csv.reader(io.StringIO(text, newline=""),
                        delimiter=DELIMITERS[info["columnDelimiter"]])
    table = [row for row in reader if row]
    header, rows = table[0], table[1:]
    schema = schemas[info["object"]]
    for column in header:
        if schema.field(column) is None:
            return f"InvalidBatch : Field name not found : {column}"
    key = {"upsert": info.get("externalIdFieldName"), "update": "Id",
           "delete": "Id", "hardDelete": "Id"}.get(info["operation"])
    if key and key.lower() not in (c.lower() for c in header):
        return f"InvalidBatch : Field name not found : {key}"
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            return (f"InvalidBatch : Wrong number of columns in row {number}: "
                    f"{len(row)} instead of {len(header)}")
    job["header"], job["rows"] = header, rows
    return None


def _payload(header: list[str], row: list[str]) -> dict:
    # In Bulk CSV an empty cell leaves the field alone; #N/A sets it to null.
    return {col: (None if val == "#N/A" else val) for col, val in zip(header, row) if val != ""}


def _write_row(ctx: WriteContext, info: dict, header: list[str], row: list[str]) -> Outcome:
    obj, op = info["object"], info["operation"]
    payload = _payload(header, row)
    lowered = {k.lower(): v for k, v in payload.items()}
    if op == "insert":
        return create(ctx, obj, payload)
    if op == "upsert":
        field = info["externalIdFieldName"]
        return upsert(ctx, obj, field, lowered.get(field.lower()), payload)
    ident = lowered.get("id")
    if not ident:
        return Outcome(errors=[RowError(code="MISSING_ARGUMENT", message="Id not specified",
                                        fields=("Id",))])
    if op == "update":
        return update(ctx, obj, ident, payload)
    return delete(ctx, obj, ident)


def process_rows(ctx: WriteContext, job: dict, limit: int | None) -> None:
    """Process up to ``limit`` more rows (all when None), appending to ``job['results']``."""
    start = len(job["results"])
    stop = len(job["rows"]) if limit is None else min(len(job["rows"]), start + limit)
    for row in job["rows"][start:stop]:
        out = _write_row(ctx, job["info"], job["header"], row)
        error = None if out.ok else out.errors[0].bulk()
        job["results"].append([out.id or "", out.created, error])
    done = job["results"]
    job["info"]["numberRecordsProcessed"] = len(done)
    job["info"]["numberRecordsFailed"] = sum(1 for r in done if r[2])


def results_csv(job: dict, kind: str) -> str:
    """``successfulResults``, ``failedResults`` or ``unprocessedrecords`` as CSV text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    header, rows, results = job.get("header") or [], job.get("rows") or [], job["results"]
    if kind == "successfulResults":
        writer.writerow(["sf__Id", "sf__Created", *header])
        for (ident, created, error), row in zip(results, rows):
            if not error:
                writer.writerow([ident, "true" if created else "false", *row])
    elif kind == "failedResults":
        writer.writerow(["sf__Id", "sf__Error", *header])
        for (ident, _created, error), row in zip(results, rows):
            if error:
                writer.writerow([ident, error, *row])
    else:
        writer.writerow(header)
        writer.writerows(rows[len(results):])
    return buf.getvalue()
