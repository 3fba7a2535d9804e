"""The change feed of Salesforce people: Leads and Contacts modified since a cursor.

One Composite Batch call carries a ``queryAll`` per object (deleted rows come back with
``IsDeleted = true``), so an idle cycle costs one API call. Pages beyond the first follow
``nextRecordsUrl``. The cursor is ``SystemModstamp`` per object, read with ``>=``: rows of
the boundary second come again and the caller drops those it already holds.
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


def _soql(object_name: str, fields: Sequence[str], since: datetime | None) -> str:
    parts = [f"SystemModstamp >= {datetime_literal(since)}"] if since is not None else []
    parts += [_FILTERS[object_name]] if object_name in _FILTERS else []
    return select(fields, object_name, " AND ".join(parts), order_by="SystemModstamp, Id")


def changed_people(connection: Connection, fields: Mapping[str, Sequence[str]],
                   since: Mapping[str, datetime | None]) -> dict[str, list[CrmRecord]]:
    """Per object in ``fields``: its rows changed at or after ``since[object]`` (all rows when
    None), deleted ones included, oldest first."""
    version = connection.settings.api_version
    objects = list(fields)
    batch = {"haltOnError": False, "batchRequests": [
        {"method": "GET", "url": f"v{version}/queryAll?q={_soql(o, fields[o], since.get(o))}"} for o in objects]}
    answer = connection.call("composite_batch", lambda sf: sf.restful("composite/batch", method="POST",
                                                                      json=batch))
    out: dict[str, list[CrmRecord]] = {}
    for object_name, result in zip(objects, answer.get("results") or [], strict=True):
        out[object_name] = _rows(connection, object_name, result)
    return out


def _rows(connection: Connection, object_name: str, result: Mapping[str, Any]) -> list[CrmRecord]:
    status, body = int(result.get("statusCode") or 500), result.get("result")
    if status >= 400:
        first = (body or [{}])[0] if isinstance(body, list) else {}
        code = first.get("errorCode")
        raise make_error(classify(status, code), operation="composite_batch", status=status, code=code,
                         message=f"{object_name}: {first.get('message')}")
    rows = [crm_record(object_name, r) for r in body.get("records") or []]
    next_url = body.get("nextRecordsUrl")
    while next_url:
        page = connection.call("query", lambda sf, url=next_url: sf.query_more(url, identifier_is_url=True,
                                                                               include_deleted=True))
        rows += [crm_record(object_name, r) for r in page.get("records") or []]
        next_url = page.get("nextRecordsUrl")
    return rows
