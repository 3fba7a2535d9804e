"""The change feed of Salesforce people: Leads and Contacts modified since a cursor.

One Composite Batch call carries a ``queryAll`` per object (deleted rows come back with
``IsDeleted = true``), so an idle cycle costs one API call. Pages beyond the first follow
``nextRecordsUrl``. The cursor is ``SystemModstamp`` per object. Rows stamped exactly at
the cursor may have been read already: when the caller says how many of them it holds
(``held``), the same call reads the rows after the cursor and counts those at it
(``COUNT()``); only when the count differs (a row was stamped in that instant after the last
read) are they read again, in one more call. Without ``held`` the rows at the cursor come
again (``>=``) and the caller drops those it already holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from syncd.models import CrmRecord

from .connection import Connection
from .errors import classify, make_error
from .results import crm_record
from .soql import datetime_literal, select

__all__ = ["changed_people"]


# Only syncd's own follow-up tasks are followed on the feed.
_FILTERS = {"Task": "Syncd_Key__c != null"}


def _soql(object_name: str, fields: Sequence[str] | None, since: datetime | None, op: str = ">=") -> str:
    """The feed's query of ``object_name`` (``fields`` None: ``COUNT()``) for ``SystemModstamp op since``."""
    parts = [f"SystemModstamp {op} {datetime_literal(since)}"] if since is not None else []
    parts += [_FILTERS[object_name]] if object_name in _FILTERS else []
    if fields is None:
        return f"SELECT COUNT() FROM {object_name} WHERE {' AND '.join(parts)}"
    return select(fields, object_name, " AND ".join(parts), order_by="SystemModstamp, Id")


def changed_people(connection: Connection, fields: Mapping[str, Sequence[str]],
                   since: Mapping[str, datetime | None],
                   held: Mapping[str, int] | None = None) -> dict[str, list[CrmRecord]]:
    """Per object in ``fields``: its rows changed at or after ``since[object]`` (all rows when
    None), deleted ones included, oldest first; the rows stamped exactly at ``since[object]``
    only when ``held[object]`` (how many the caller holds) is not their number now."""
    version = connection.settings.api_version
    objects = list(fields)
    counted = {o for o in objects if since.get(o) is not None and isinstance((held or {}).get(o), int)}
    requests: list[tuple[str, str]] = []  # (object, kind)
    urls: list[str] = []
    for o in objects:
        if o in counted:
            requests += [(o, "after"), (o, "count")]
            urls += [_soql(o, fields[o], since[o], ">"), _soql(o, None, since[o], "=")]
        else:
            requests.append((o, "rows"))
            urls.append(_soql(o, fields[o], since.get(o)))
    batch = {"haltOnError": False, "batchRequests": [
        {"method": "GET", "url": f"v{version}/queryAll?q={q}"} for q in urls]}
    answer = connection.call("composite_batch", lambda sf: sf.restful("composite/batch", method="POST",
                                                                      json=batch))
    out: dict[str, list[CrmRecord]] = {}
    for (object_name, kind), result in zip(requests, answer.get("results") or [], strict=True):
        if kind == "count":
            if _count(object_name, result) != held[object_name]:  # type: ignore[index]
                at = _query_all(connection, _soql(object_name, fields[object_name], since[object_name], "="))
                out[object_name] = [crm_record(object_name, r) for r in at] + out[object_name]
            continue
        out[object_name] = _rows(connection, object_name, result)
    return out


def _count(object_name: str, result: Mapping[str, Any]) -> int:
    _check(object_name, result)
    return int((result.get("result") or {}).get("totalSize") or 0)


def _query_all(connection: Connection, soql: str) -> list[dict]:
    """Every row of ``soql``, deleted ones included, in as many pages as it takes."""
    return _followed(connection, connection.call("query", lambda sf: sf.query(soql, include_deleted=True)))


def _followed(connection: Connection, page: Mapping[str, Any]) -> list[dict]:
    """The rows of a query answer and of the pages its ``nextRecordsUrl`` leads to."""
    rows = list(page.get("records") or [])
    next_url = page.get("nextRecordsUrl")
    while next_url:
        page = connection.call("query", lambda sf, url=next_url: sf.query_more(url, identifier_is_url=True,
                                                                               include_deleted=True))
        rows += page.get("records") or []
        next_url = page.get("nextRecordsUrl")
    return rows


def _check(object_name: str, result: Mapping[str, Any]) -> None:
    status, body = int(result.get("statusCode") or 500), result.get("result")
    if status >= 400:
        first = (body or [{}])[0] if isinstance(body, list) else {}
        code = first.get("errorCode")
        raise make_error(classify(status, code), operation="composite_batch", status=status, code=code,
                         message=f"{object_name}: {first.get('message')}")


def _rows(connection: Connection, object_name: str, result: Mapping[str, Any]) -> list[CrmRecord]:
    _check(object_name, result)
    return [crm_record(object_name, r) for r in _followed(connection, result.get("result") or {})]
