"""Bulk API 2.0 query jobs: the first fill of the mirror of Salesforce people.

One ``queryAll`` job per object (deleted rows come back with ``IsDeleted = true``), polled
at once and then every ``poll_seconds``, its results read in pages of ``page_size`` rows
(``locator``), each page a call of its own (retried alone) and handed on in chunks of
parsed rows, so a reader holds one page's text and one chunk at a time. CSV cells are typed back from the object's describe: ``""`` is null,
booleans are ``True``/``False`` and numbers are numbers, as the REST feed gives them.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from simple_salesforce import Salesforce
from simple_salesforce.bulk2 import ColumnDelimiter, LineEnding, Operation

from syncd.ports import ObjectSchema

from .errors import Verdict, make_error
from .results import csv_rows, text_lines

__all__ = ["query_chunks", "query_pages", "typed_row"]

T = TypeVar("T")
Call = Callable[[str, Callable[[Salesforce], T]], T]

_NUMBERS = {"double", "currency", "percent"}
_INTEGERS = {"int", "long"}


def query_pages(sf: Salesforce, object_name: str, soql: str, *, page_size: int, poll_seconds: float,
                sleep: Callable[[float], None]) -> Iterator[list[dict[str, str]]]:
    """The rows of one ``queryAll`` job, page by page (CSV cells as text)."""
    client = getattr(sf.bulk2, object_name)._client
    job_id = client.create_job(Operation.query_all, soql, ColumnDelimiter.COMMA, LineEnding.LF)["id"]
    while True:
        info = client.get_job(job_id, True)
        if info["state"] == "JobComplete":
            break
        if info["state"] in ("Aborted", "Failed"):
            raise make_error(Verdict.FATAL, operation="bulk2.query", code=info["state"],
                             message=f"{object_name} query job {job_id}: {info.get('errorMessage') or info['state']}")
        sleep(poll_seconds)
    locator = ""
    while True:
        page = client.get_query_results(job_id, locator, page_size)
        yield csv_rows(page["records"])
        locator = page.get("locator") or ""
        if not locator:
            return


def query_chunks(call: Call, object_name: str, soql: str, *, page_size: int, chunk_size: int,
                 poll_seconds: float, sleep: Callable[[float], None]) -> Iterator[list[dict[str, str]]]:
    """The rows of one ``queryAll`` job in chunks of at most ``chunk_size`` (CSV cells as
    text). ``call(operation, fn)`` runs each API call (the job's creation and polling, then
    each results page) with the caller's retries."""
    def start(sf: Salesforce) -> str:
        client = getattr(sf.bulk2, object_name)._client
        job_id = client.create_job(Operation.query_all, soql, ColumnDelimiter.COMMA, LineEnding.LF)["id"]
        while True:
            info = client.get_job(job_id, True)
            if info["state"] == "JobComplete":
                return job_id
            if info["state"] in ("Aborted", "Failed"):
                raise make_error(Verdict.FATAL, operation="bulk2.query", code=info["state"],
                                 message=f"{object_name} query job {job_id}: "
                                         f"{info.get('errorMessage') or info['state']}")
            sleep(poll_seconds)

    job_id, locator = call("bulk2.query", start), ""
    while True:
        page = call("bulk2.query", lambda sf, at=locator: getattr(sf.bulk2, object_name)._client
                    .get_query_results(job_id, at, page_size))
        text, locator = page["records"], page.get("locator") or ""
        chunk: list[dict[str, str]] = []
        if text.strip():
            for row in csv.DictReader(text_lines(text)):
                chunk.append(row)
                if len(chunk) >= chunk_size:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk
        if not locator:
            return


def typed_row(row: Mapping[str, str], schema: ObjectSchema | None, fields: Sequence[str]) -> dict[str, Any]:
    """A CSV row with each field typed as the REST API would give it."""
    out: dict[str, Any] = {}
    for name in fields:
        text = row.get(name, "")
        kind = schema.fields[name].type if schema is not None and name in schema.fields else ""
        out[name] = _typed(text, kind, name)
    return out


def _typed(text: str, kind: str, name: str) -> Any:
    if text == "":
        return None
    if kind == "boolean" or name in ("IsDeleted", "IsConverted", "IsClosed"):
        return text.lower() == "true"
    if kind in _INTEGERS:
        return int(float(text))
    if kind in _NUMBERS:
        return float(text)
    return text
