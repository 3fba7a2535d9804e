"""Records of one org with the indexes the API needs (ids, external ids, Lead emails).

Not locked by itself: ``SalesforceState`` serialises every access under its one lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ids import KEY_PREFIXES, make_id, normalize_id
from .schema import ObjectSchema

__all__ = ["Store", "Undo"]


@dataclass(frozen=True, kw_only=True)
class Undo:
    """What a write replaced: the previous record, or None when the write created it."""

    object_name: str
    record_id: str
    previous: dict | None


class Store:
    """Tables of records keyed by id, in insertion order, plus lookup indexes."""

    def __init__(self, schemas: dict[str, ObjectSchema]) -> None:
        self.schemas = schemas
        self.tables: dict[str, dict[str, dict]] = {name: {} for name in schemas}
        self.kind_of: dict[str, str] = {}
        self.counters: dict[str, int] = {}
        self.ext_fields = {name: [f.name for f in s.fields.values() if f.external_id]
                           for name, s in schemas.items()}
        # (object, field) -> folded value -> ids of live records holding it
        self.ext_index: dict[tuple[str, str], dict[str, list[str]]] = {
            (o, f): {} for o, fs in self.ext_fields.items() for f in fs}
        self.lead_emails: dict[str, list[str]] = {}

    def new_id(self, object_name: str) -> str:
        prefix = KEY_PREFIXES[object_name]
        while True:
            self.counters[prefix] = self.counters.get(prefix, 0) + 1
            ident = make_id(prefix, self.counters[prefix])
            if ident not in self.kind_of:
                return ident

    def get(self, object_name: str, record_id: str) -> dict | None:
        return self.tables[object_name].get(normalize_id(record_id))

    def lookup(self, record_id: str) -> tuple[str, dict] | None:
        """(object name, record) for any id, deleted records included."""
        ident = normalize_id(record_id)
        kind = self.kind_of.get(ident)
        return (kind, self.tables[kind][ident]) if kind else None

    def live_kind(self, record_id: str) -> str | None:
        found = self.lookup(record_id)
        return found[0] if found and not found[1].get("IsDeleted") else None

    def put(self, object_name: str, record: dict) -> Undo:
        """Insert or replace ``record`` (whole), keeping every index right."""
        ident = record["Id"]
        previous = self.tables[object_name].get(ident)
        if previous is not None:
            self._unindex(object_name, previous)
        self.tables[object_name][ident] = record
        self.kind_of[ident] = object_name
        self._index(object_name, record)
        return Undo(object_name=object_name, record_id=ident, previous=previous)

    def undo(self, entries: list[Undo]) -> None:
        """Roll back writes, newest first (all-or-none requests)."""
        for entry in reversed(entries):
            current = self.tables[entry.object_name].get(entry.record_id)
            if current is not None:
                self._unindex(entry.object_name, current)
            if entry.previous is None:
                self.tables[entry.object_name].pop(entry.record_id, None)
                self.kind_of.pop(entry.record_id, None)
            else:
                self.tables[entry.object_name][entry.record_id] = entry.previous
                self._index(entry.object_name, entry.previous)

    def by_external_id(self, object_name: str, field: str, value: object) -> list[str]:
        index = self.ext_index.get((object_name, field), {})
        return list(index.get(_fold(value), ()))

    def leads_with_email(self, email: str) -> list[str]:
        return list(self.lead_emails.get(email.lower(), ()))

    def _index(self, object_name: str, record: dict) -> None:
        if record.get("IsDeleted"):
            return
        for fld in self.ext_fields[object_name]:
            if record.get(fld) is not None:
                bucket = self.ext_index[(object_name, fld)].setdefault(_fold(record[fld]), [])
                bucket.append(record["Id"])
        if object_name == "Lead" and record.get("Email"):
            self.lead_emails.setdefault(record["Email"].lower(), []).append(record["Id"])

    def _unindex(self, object_name: str, record: dict) -> None:
        for fld in self.ext_fields[object_name]:
            if record.get(fld) is not None:
                _discard(self.ext_index[(object_name, fld)], _fold(record[fld]), record["Id"])
        if object_name == "Lead" and record.get("Email"):
            _discard(self.lead_emails, record["Email"].lower(), record["Id"])


def _fold(value: object) -> str:
    # External ids match case-insensitively unless the field is marked case-sensitive.
    return str(value).lower()


def _discard(index: dict[str, list[str]], key: str, ident: str) -> None:
    bucket = index.get(key)
    if bucket and ident in bucket:
        bucket.remove(ident)
        if not bucket:
            del index[key]
