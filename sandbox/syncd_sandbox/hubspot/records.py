"""CRM records of one object type, kept in id order so list paging is proportional to a page."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime

from .timeutil import iso

__all__ = ["Record", "ObjectStore", "render"]

CREATED_PROP = {"contacts": "createdate"}
MODIFIED_PROP = {"contacts": "lastmodifieddate"}


def id_key(record_id: str) -> tuple[int, int, str]:
    """Order numeric ids numerically (as HubSpot lists them), any others after them."""
    return (0, int(record_id), record_id) if record_id.isdigit() else (1, 0, record_id)


@dataclass(slots=True)
class Record:
    """One CRM object; ``history`` holds (value, iso timestamp, sourceType), oldest first."""

    id: str
    properties: dict[str, str | None]
    created_at: datetime
    updated_at: datetime
    archived: bool = False
    archived_at: datetime | None = None
    history: dict[str, list[tuple[str | None, str, str]]] = field(default_factory=dict)

    def set(self, name: str, value: str | None, at: datetime, source: str = "API") -> bool:
        """Set one property, keeping its history; return whether the value changed."""
        old = self.properties.get(name)
        if old == value:
            return False
        entries = self.history.get(name)
        if entries is None:
            entries = self.history[name] = []
            if old is not None:
                entries.append((old, iso(self.updated_at), "IMPORT"))
        entries.append((value, iso(at), source))
        self.properties[name] = value
        return True

    def history_of(self, name: str) -> list[dict]:
        """The v3 ``propertiesWithHistory`` entries of one property, newest first."""
        entries = self.history.get(name)
        if entries is None:
            value = self.properties.get(name)
            entries = [] if value is None else [(value, iso(self.updated_at), "IMPORT")]
        return [{"value": v if v is not None else "", "timestamp": ts, "sourceType": src}
                for v, ts, src in reversed(entries)]


class ObjectStore:
    """Records of one object type by id, plus the id order used by list endpoints."""

    def __init__(self, object_type: str) -> None:
        self.object_type = object_type
        self.records: dict[str, Record] = {}
        self.max_numeric_id = 1000  # ids only grow, even past deleted records
        self._keys: list[tuple[int, int, str]] = []
        self.created_prop = CREATED_PROP.get(object_type, "hs_createdate")
        self.modified_prop = MODIFIED_PROP.get(object_type, "hs_lastmodifieddate")

    def add(self, record: Record) -> None:
        """Insert a new record (its id must be unused)."""
        self.records[record.id] = record
        bisect.insort(self._keys, id_key(record.id))
        if record.id.isdigit():
            self.max_numeric_id = max(self.max_numeric_id, int(record.id))
        record.properties["hs_object_id"] = record.id
        record.properties.setdefault(self.created_prop, iso(record.created_at))
        record.properties.setdefault(self.modified_prop, iso(record.updated_at))

    def remove(self, record_id: str) -> None:
        """Forget a record entirely (GDPR delete, merged-away)."""
        del self.records[record_id]
        key = id_key(record_id)
        del self._keys[bisect.bisect_left(self._keys, key)]

    def touch(self, record: Record, at: datetime) -> None:
        """Stamp a change: ``updatedAt`` and the modified-date property move to ``at``."""
        record.updated_at = at
        record.properties[self.modified_prop] = iso(at)

    def page(self, after: str | None, limit: int, archived: bool) -> tuple[list[Record], str | None]:
        """Records in id order from cursor ``after``; returns the page and the next cursor."""
        start = 0 if after is None else bisect.bisect_left(self._keys, id_key(after))
        out: list[Record] = []
        for pos in range(start, len(self._keys)):
            key = self._keys[pos]
            record = self.records[key[2]]
            if record.archived != archived:
                continue
            if len(out) == limit:
                return out, record.id
            out.append(record)
        return out, None

    def ids_in_order(self) -> list[str]:
        """All ids in list order."""
        return [k[2] for k in self._keys]


def render(record: Record, props: list[str], history: list[str] | None = None,
           defined: dict | None = None) -> dict:
    """The v3 SimplePublicObject JSON of a record with the requested properties.

    With ``defined`` (the object type's property definitions), a requested name that is
    neither defined nor present is left out, as HubSpot ignores unknown properties.
    """
    values = record.properties
    if defined is not None:
        props = [p for p in props if p in defined or p in values]
    out = {"id": record.id, "properties": {p: values.get(p) for p in props},
           "createdAt": iso(record.created_at), "updatedAt": iso(record.updated_at),
           "archived": record.archived}
    if record.archived_at is not None:
        out["archivedAt"] = iso(record.archived_at)
    if history:
        out["propertiesWithHistory"] = {p: record.history_of(p) for p in history}
    return out
