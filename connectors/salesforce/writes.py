"""Batched writes: sObject Collections up to 200 rows a call, Bulk API 2.0 above a threshold.

Rows without their key are answered locally (never sent, never dropped). Rows that fail
with a row-retriable code are sent again, and only they, by ``retry.retry_rows``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from syncd.errors import RetriableError
from syncd.models import WriteResult

from .bulk import bulk_write
from .connection import Connection
from .errors import ROW_RETRIABLE, Verdict, make_error
from .results import collection_results
from .retry import retry_rows

__all__ = ["COLLECTION_SIZE", "write_rows"]

COLLECTION_SIZE = 200
"""The most records one sObject Collections request accepts."""


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _collections(conn: Connection, object_name: str, operation: str, key_field: str,
                 rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
    path = (f"composite/sobjects/{object_name}/{key_field}" if operation == "upsert"
            else "composite/sobjects")
    out: list[WriteResult] = []
    for start in range(0, len(rows), COLLECTION_SIZE):
        chunk = rows[start:start + COLLECTION_SIZE]
        body = {"allOrNone": False, "records": [
            {"attributes": {"type": object_name}, **{k: _json_value(v) for k, v in r.items()}}
            for r in chunk]}
        try:
            payload = conn.call(f"collections.{operation}",
                                lambda sf, body=body: sf.restful(path, method="PATCH", json=body))
        except RetriableError as err:
            if not out:
                raise
            # Earlier chunks were written: report them, and these rows as not sent yet.
            out += _not_sent(rows[start:], key_field, err)
            break
        try:
            out += collection_results([str(r[key_field]) for r in chunk], payload)
        except (ValueError, AttributeError) as exc:
            raise make_error(Verdict.FATAL, operation=f"collections.{operation}",
                             message=str(exc)) from None
    return out


def _not_sent(rows: Sequence[Mapping[str, Any]], key_field: str,
              err: RetriableError) -> list[WriteResult]:
    # A retriable call code the writer knows (REQUEST_LIMIT_EXCEEDED) is kept as is.
    code = err.code or "SERVER_UNAVAILABLE"
    return [WriteResult(key=str(r[key_field]), ok=False, error_code=code,
                        message=f"not sent: {err}", retriable=True) for r in rows]


def _send(conn: Connection, object_name: str, operation: str, key_field: str,
          rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
    settings = conn.settings
    if len(rows) < settings.bulk_threshold:
        return _collections(conn, object_name, operation, key_field, rows)
    results = conn.call(f"bulk2.{operation}", lambda sf: bulk_write(
        sf, object_name, operation, key_field, rows, poll_seconds=settings.bulk_poll_seconds))
    return results


def write_rows(conn: Connection, object_name: str, operation: str, key_field: str,
               rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
    """Write ``rows`` (``operation`` is ``upsert`` or ``update``); one result per row."""
    results: list[WriteResult | None] = [None] * len(rows)
    sendable: list[int] = []
    for index, row in enumerate(rows):
        value = row.get(key_field) if isinstance(row, Mapping) else None
        if value in (None, ""):
            results[index] = WriteResult(
                key="", ok=False, error_code="MISSING_KEY",
                message=f"row {index} has no {key_field}; a {operation} of {object_name} "
                        f"needs it to find the record")
        else:
            sendable.append(index)
    sent = retry_rows(conn.policy, f"{object_name}.{operation}", [rows[i] for i in sendable],
                      lambda batch: _send(conn, object_name, operation, key_field, batch))
    for index, result in zip(sendable, sent, strict=True):
        results[index] = _marked(result)
    return [r for r in results if r is not None]


def _marked(result: WriteResult) -> WriteResult:
    """Flag rows whose failure is worth sending again in a later cycle."""
    if result.ok or result.retriable or result.error_code not in ROW_RETRIABLE:
        return result
    return replace(result, retriable=True)
