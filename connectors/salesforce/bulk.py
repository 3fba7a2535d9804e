"""Bulk API 2.0 writes through ``sf.bulk2``, with per-row results read back from the job.

simple-salesforce reports a finished job as counts only; the failed, successful and
unprocessed CSVs are downloaded here and matched back to the sent rows by their key
column (the external id, or ``Id`` for updates).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from typing import Any

from simple_salesforce import Salesforce

from syncd.models import WriteResult

from .errors import Verdict, make_error
from .results import csv_rows, csv_value, parse_bulk_error

__all__ = ["UNPROCESSED", "bulk_results", "bulk_write"]

Rows = Mapping[str, str]

UNPROCESSED = "BULK_UNPROCESSED"
"""Code of a row the job never reached (aborted or failed job); safe to send again."""


def bulk_results(keys: Sequence[str], key_field: str, *, successful: Sequence[Rows],
                 failed: Sequence[Rows], unprocessed: Sequence[Rows]) -> list[WriteResult]:
    """One ``WriteResult`` per sent row, in order, from the result rows of the job(s)."""
    slots: dict[str, deque[int]] = defaultdict(deque)
    for index, key in enumerate(keys):
        slots[key].append(index)
    results: list[WriteResult | None] = [None] * len(keys)

    def place(row: Mapping[str, str], make) -> None:
        key = row.get(key_field, "")
        if not slots.get(key):
            raise ValueError(f"Bulk result names {key_field}={key!r}, which was not sent "
                             f"or is answered twice")
        index = slots[key].popleft()
        results[index] = make(key, row)

    for row in successful:
        place(row, lambda key, r: WriteResult(key=key, ok=True, id=r.get("sf__Id") or None,
                                              created=r.get("sf__Created") == "true"))
    for row in failed:
        place(row, lambda key, r: WriteResult(key=key, ok=False, id=r.get("sf__Id") or None,
                                              **_error(r.get("sf__Error", ""))))
    for row in unprocessed:
        place(row, lambda key, r: WriteResult(key=key, ok=False, error_code=UNPROCESSED,
                                              message="not processed by the Bulk job"))
    return [r or WriteResult(key=keys[i], ok=False, error_code=UNPROCESSED,
                             message="missing from every Bulk result file")
            for i, r in enumerate(results)]


def _error(cell: str) -> dict[str, str]:
    code, message = parse_bulk_error(cell)
    return {"error_code": code, "message": message}


def bulk_write(sf: Salesforce, object_name: str, operation: str, key_field: str,
               rows: Sequence[Mapping[str, Any]], *, poll_seconds: float) -> list[WriteResult]:
    """Run one Bulk 2.0 ingest (``upsert`` or ``update``) and return per-row results."""
    records = [{k: csv_value(v) for k, v in row.items()} for row in rows]
    keys = [r[key_field] for r in records]
    handler = getattr(sf.bulk2, object_name)
    if operation == "upsert":
        jobs = handler.upsert(records=records, external_id_field=key_field, wait=poll_seconds)
    else:
        jobs = handler.update(records=records, wait=poll_seconds)
    found: dict[str, list[Rows]] = {"successful": [], "failed": [], "unprocessed": []}
    for job in jobs:
        # Parsed one file at a time: quoted values may span lines.
        found["successful"] += csv_rows(handler.get_successful_records(job["job_id"]))
        found["failed"] += csv_rows(handler.get_failed_records(job["job_id"]))
        found["unprocessed"] += csv_rows(handler.get_unprocessed_records(job["job_id"]))
    try:
        return bulk_results(keys, key_field, **found)
    except ValueError as exc:  # answers that do not fit what was sent: not worth a retry
        raise make_error(Verdict.FATAL, operation="bulk2." + operation,
                         message=f"{object_name} job {jobs[0]['job_id']}: {exc}") from None
