"""Batched writes: sObject Collections of up to 200 rows, five to a Composite call; Bulk
API 2.0 above a threshold.

Rows without their key are answered locally (never sent, never dropped). Rows that fail
with a row-retriable code are sent again, and only they, by ``retry.retry_rows``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from syncd.errors import RetriableError
from syncd.jsontext import json_dumps
from syncd.models import WriteResult

from .bulk import bulk_write
from .connection import Connection
from .errors import ROW_RETRIABLE, Verdict, classify, make_error
from .results import collection_results
from .retry import retry_rows
from .translate import first_error

__all__ = ["COLLECTION_SIZE", "Part", "write_parts", "write_rows"]

COLLECTION_SIZE = 200
"""The most records one sObject Collections request accepts."""


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _collections(conn: Connection, parts: Sequence[Part]) -> list[list[WriteResult]]:
    """Each part's rows in Collections of 200 (one object and operation each), up to five
    Collections in one Composite call whatever part they belong to (the whole Composite
    counts as one API call); a lone Collection is sent on its own. Results per part, in order."""
    chunks = [(index, part, part.rows[start:start + COLLECTION_SIZE])
              for index, part in enumerate(parts) for start in range(0, len(part.rows), COLLECTION_SIZE)]
    out: list[list[WriteResult]] = [[] for _ in parts]
    for first in range(0, len(chunks), COLLECTIONS_PER_COMPOSITE):
        group = chunks[first:first + COLLECTIONS_PER_COMPOSITE]
        requests = [(part.path, {"allOrNone": False, "records": [
            {"attributes": {"type": part.object_name}, **{k: _json_value(v) for k, v in r.items()}} for r in chunk]})
            for _, part, chunk in group]
        operation = ("collections." + "+".join(sorted({part.operation for _, part, _ in group})))
        try:
            if len(group) == 1:
                path, body = requests[0]
                payloads = [conn.call(operation, lambda sf, path=path, body=body: sf.restful(
                    path, method="PATCH", data=_encoded(body)))]
            else:
                payloads = _composite(conn, operation, requests)
        except RetriableError as err:
            if not any(out):
                raise
            # Earlier calls were written: report them, and these rows as not sent yet.
            for index, part, chunk in chunks[first:]:
                out[index] += _not_sent(chunk, part.key_field, err)
            break
        for (index, part, chunk), payload in zip(group, payloads, strict=True):
            try:
                out[index] += collection_results([str(r[part.key_field]) for r in chunk], payload)
            except (ValueError, AttributeError) as exc:
                raise make_error(Verdict.FATAL, operation=operation, message=str(exc)) from None
    return out


@dataclass(frozen=True, slots=True)
class Part:
    """Rows of one object written one way (``upsert`` on ``key_field``, or ``update`` by Id)."""

    object_name: str
    operation: str
    key_field: str
    rows: Sequence[Mapping[str, Any]]

    @property
    def path(self) -> str:
        return (f"composite/sobjects/{self.object_name}/{self.key_field}" if self.operation == "upsert"
                else "composite/sobjects")


def _encoded(body: Any) -> bytes:
    """A request body as UTF-8 JSON, encoded by orjson (``requests``' ``json=`` encodes with
    the standard library, about five times slower on 1,000 records); the client's own headers
    say ``application/json``."""
    return json_dumps(body).encode()


COLLECTIONS_PER_COMPOSITE = 5
"""A Composite call takes up to 25 subrequests, at most 5 of them Collections or queries."""


def _composite(conn: Connection, operation: str, requests: Sequence[tuple[str, Mapping[str, Any]]]) -> list[Any]:
    """Each (path, body) as a Collections subrequest of one Composite call (not all-or-none:
    each Collection answers per record); a subrequest refused as a whole raises what the same
    request sent alone would have."""
    def send(sf: Any) -> Any:
        base = sf.base_url[sf.base_url.index("/services/"):]
        request = {"allOrNone": False, "compositeRequest": [
            {"method": "PATCH", "url": base + path, "referenceId": f"c{i}", "body": body}
            for i, (path, body) in enumerate(requests)]}
        return sf.restful("composite", method="POST", data=_encoded(request))

    answer = conn.call(f"{operation} (composite)", send)
    responses = answer.get("compositeResponse") if isinstance(answer, dict) else None
    if not isinstance(responses, list) or len(responses) != len(requests):
        raise make_error(Verdict.FATAL, operation=operation,
                         message=f"Composite answered {type(responses).__name__} for {len(requests)} Collections")
    out = []
    for response in responses:
        status = int(response.get("httpStatusCode") or 0)
        if not 200 <= status < 300:
            code, message = first_error(response.get("body"))
            raise make_error(classify(status, code, message), operation=operation, message=message,
                             status=status, code=code)
        out.append(response.get("body"))
    return out


def _not_sent(rows: Sequence[Mapping[str, Any]], key_field: str,
              err: RetriableError) -> list[WriteResult]:
    # A retriable call code the writer knows (REQUEST_LIMIT_EXCEEDED) is kept as is.
    code = err.code or "SERVER_UNAVAILABLE"
    return [WriteResult(key=str(r[key_field]), ok=False, error_code=code,
                        message=f"not sent: {err}", retriable=True) for r in rows]


def write_rows(conn: Connection, object_name: str, operation: str, key_field: str,
               rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
    """Write ``rows`` (``operation`` is ``upsert`` or ``update``); one result per row."""
    return write_parts(conn, [Part(object_name, operation, key_field, rows)])[0]


def write_parts(conn: Connection, parts: Sequence[Part]) -> list[list[WriteResult]]:
    """Write every part, one result per row, in order, per part. Parts of at least the Bulk
    threshold go by Bulk API 2.0 each; the others share Composite calls of Collections. Rows
    that fail with a row-retriable code are sent again (only they)."""
    results: list[list[WriteResult | None]] = [[None] * len(p.rows) for p in parts]
    sendable: list[list[int]] = []
    for p, part in enumerate(parts):
        keep = []
        for index, row in enumerate(part.rows):
            value = row.get(part.key_field) if isinstance(row, Mapping) else None
            if value in (None, ""):
                results[p][index] = WriteResult(
                    key="", ok=False, error_code="MISSING_KEY",
                    message=f"row {index} has no {part.key_field}; a {part.operation} of {part.object_name} "
                            f"needs it to find the record")
            else:
                keep.append(index)
        sendable.append(keep)
    bulk = [p for p, part in enumerate(parts) if len(sendable[p]) >= conn.settings.bulk_threshold]
    for p in bulk:
        part, rows = parts[p], [parts[p].rows[i] for i in sendable[p]]
        sent = retry_rows(conn.policy, f"{part.object_name}.{part.operation}", rows,
                          lambda batch, part=part: conn.call(f"bulk2.{part.operation}", lambda sf: bulk_write(
                              sf, part.object_name, part.operation, part.key_field, batch,
                              poll_seconds=conn.settings.bulk_poll_seconds)))
        for index, result in zip(sendable[p], sent, strict=True):
            results[p][index] = _marked(result)
    small = [p for p in range(len(parts)) if p not in bulk and sendable[p]]
    tagged = [(p, i) for p in small for i in sendable[p]]

    def send(batch: list[tuple[int, int]]) -> list[WriteResult]:
        by_part: dict[int, list[int]] = {}
        for p, i in batch:
            by_part.setdefault(p, []).append(i)
        order = list(by_part)
        answered = _collections(conn, [replace(parts[p], rows=[parts[p].rows[i] for i in by_part[p]]) for p in order])
        lookup = {(p, i): r for p, rs in zip(order, answered) for i, r in zip(by_part[p], rs, strict=True)}
        return [lookup[t] for t in batch]

    name = "+".join(sorted({f"{parts[p].object_name}.{parts[p].operation}" for p in small}))
    for (p, index), result in zip(tagged, retry_rows(conn.policy, name, tagged, send), strict=True):
        results[p][index] = _marked(result)
    return [[r for r in rs if r is not None] for rs in results]


def _marked(result: WriteResult) -> WriteResult:
    """Flag rows whose failure is worth sending again in a later cycle."""
    if result.ok or result.retriable or result.error_code not in ROW_RETRIABLE:
        return result
    return replace(result, retriable=True)
