"""``MemoryCrm``: the ``CrmGateway`` port over records held in memory.

Behaves as syncd relies on Salesforce behaving: e-mail look-ups are case-insensitive and
skip converted Leads, an upsert on the external id creates once and updates afterwards,
an update of a missing record is refused row by row, a field the object does not have is
refused (INVALID_FIELD). ``fail`` makes chosen rows fail, e.g. with a retriable lock error.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, timedelta
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from syncd.models import CrmRecord, WriteResult
from syncd.ports import ApiUsage, FieldSchema, ObjectSchema
from syncd.timefmt import as_instant

__all__ = ["MemoryCrm"]

_PREFIX = {"Lead": "00Q", "Contact": "003", "Account": "001", "Opportunity": "006", "Task": "00T"}
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_RETRIABLE = frozenset({"UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE"})


class MemoryCrm:
    def __init__(self, *, schemas: Mapping[str, Collection[str]] | None = None) -> None:
        self.objects: dict[str, dict[str, dict[str, Any]]] = {}
        self.schemas = {k: frozenset(v) | {"Id"} for k, v in (schemas or {}).items()}
        self.calls: Counter = Counter()
        self.fail: dict[str, str] = {}  # row key (external id or Id) → error code for its next write
        self._ids = itertools.count(1)
        self._ticks = itertools.count(1)
        self.page_size = 1000  # records per chunk of ``people_pages``

    def _stamp(self, row: dict[str, Any]) -> dict[str, Any]:
        """Salesforce bumps SystemModstamp on every change; here one millisecond per change."""
        at = _EPOCH + timedelta(milliseconds=next(self._ticks))
        row["SystemModstamp"] = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+0000"
        row.setdefault("IsDeleted", False)
        return row

    # -- seeding ---------------------------------------------------------------------
    def add(self, object_name: str, **fields: Any) -> str:
        """Put a record in place as if it had always been there; returns its Id."""
        record_id = fields.pop("Id", None) or self._new_id(object_name)
        self.objects.setdefault(object_name, {})[record_id] = self._stamp({"Id": record_id, **fields})
        return record_id

    def change(self, object_name: str, record_id: str, **fields: Any) -> None:
        """A change made in Salesforce (by sales), not by syncd."""
        row = self._stamp(self.objects[object_name][record_id])
        row.update(fields)
        if object_name == "Task":
            row["IsClosed"] = row.get("Status") == "Completed"

    def delete(self, object_name: str, record_id: str) -> None:
        self._stamp(self.objects[object_name][record_id])["IsDeleted"] = True

    def _new_id(self, object_name: str) -> str:
        return f"{_PREFIX.get(object_name, 'a00')}{next(self._ids):012d}AAA"

    def get(self, object_name: str, record_id: str) -> dict[str, Any] | None:
        row = self.objects.get(object_name, {}).get(record_id)
        return None if row is None or row.get("IsDeleted") else row

    def _live(self, object_name: str) -> list[dict[str, Any]]:
        return [r for r in self.objects.get(object_name, {}).values() if not r.get("IsDeleted")]

    # -- reads -----------------------------------------------------------------------
    def find_by_emails(self, emails: Collection[str]) -> list[CrmRecord]:
        self.calls["query"] += 2
        wanted = {e.strip().lower() for e in emails if e and e.strip()}
        found = []
        for object_name in ("Lead", "Contact"):
            for row in self._live(object_name):
                converted = object_name == "Lead" and row.get("IsConverted")
                if not converted and (row.get("Email") or "").lower() in wanted:
                    found.append(CrmRecord(object=object_name, id=row["Id"], fields=dict(row)))
        return found

    def people_changed(self, since: Mapping[str, datetime | None],
                       held: Mapping[str, int] | None = None) -> dict[str, list[CrmRecord]]:
        self.calls["composite_batch"] += 1
        out = {}
        for object_name in (o for o in ("Lead", "Contact", "Task") if o in since):
            floor = since.get(object_name)
            rows = [r for r in self.objects.get(object_name, {}).values()
                    if (floor is None or as_instant(r["SystemModstamp"]) >= floor)
                    and (object_name != "Task" or r.get("Syncd_Key__c"))]
            at_floor = [r for r in rows if floor is not None and as_instant(r["SystemModstamp"]) == floor]
            if floor is not None and (held or {}).get(object_name) == len(at_floor):  # held still: left out
                rows = [r for r in rows if as_instant(r["SystemModstamp"]) > floor]
            elif floor is not None and isinstance((held or {}).get(object_name), int):
                self.calls["query"] += 1  # read again in a call of its own
            rows.sort(key=lambda r: (r["SystemModstamp"], r["Id"]))
            out[object_name] = [CrmRecord(object=object_name, id=r["Id"], fields=dict(r)) for r in rows]
        return out

    def people_pages(self, since: Mapping[str, datetime | None],
                     held: Mapping[str, int] | None = None) -> Iterator[tuple[str, list[CrmRecord]]]:
        for object_name, records in self.people_changed(since, held).items():
            yield object_name, records[:self.page_size]
            for start in range(self.page_size, len(records), self.page_size):
                yield object_name, records[start:start + self.page_size]

    def opportunity_facts(self, account_ids: Collection[str]) -> dict[str, dict[str, bool]]:
        self.calls["query"] += 1
        facts: dict[str, dict[str, bool]] = {}
        closed: dict[str, list[tuple[str, bool]]] = {}
        for opp in self.objects.get("Opportunity", {}).values():
            account = opp.get("AccountId")
            if account not in account_ids:
                continue
            entry = facts.setdefault(account, {"open": False, "won": False})
            entry["open"] |= not opp.get("IsClosed")
            entry["won"] |= bool(opp.get("IsWon"))
            if opp.get("IsClosed"):
                closed.setdefault(account, []).append((opp.get("CloseDate") or "", bool(opp.get("IsWon"))))
        for account, entry in facts.items():
            entry["churned"] = entry["won"] and not max(closed.get(account, [("", True)]))[1]
        return facts

    def users(self) -> list[dict[str, Any]]:
        self.calls["users"] += 1
        return [dict(u) for u in self._live("User") if u.get("IsActive", True)]

    def queues(self) -> list[dict[str, Any]]:
        self.calls["queues"] += 1
        return [dict(q) for q in self._live("Group") if q.get("Type") == "Queue"]

    def describe(self, object_name: str) -> ObjectSchema:
        self.calls["describe"] += 1
        names = self.schemas.get(object_name) or {k for r in self.objects.get(object_name, {}).values() for k in r}
        return ObjectSchema(name=object_name, fields={n: FieldSchema(name=n, type="string") for n in sorted(names)})

    def usage(self) -> ApiUsage:
        return ApiUsage(calls=dict(self.calls), remaining=None)

    # -- writes ----------------------------------------------------------------------
    def upsert(self, object_name: str, external_id_field: str,
               rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self.calls["upsert"] += 1
        return [self._upsert_one(object_name, external_id_field, dict(row)) for row in rows]

    def upsert_tasks(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self.calls["upsert"] += 1
        return [self._upsert_one("Task", "Syncd_Key__c", dict(row)) for row in rows]

    def tasks_by_key(self, keys: Collection[str]) -> dict[str, CrmRecord]:
        self.calls["query"] += 1
        wanted = set(keys)
        return {r["Syncd_Key__c"]: CrmRecord(object="Task", id=r["Id"], fields=dict(r))
                for r in self._live("Task") if r.get("Syncd_Key__c") in wanted}

    def write_records(self, batches: Sequence[Any]) -> list[list[WriteResult]]:
        return [self.update(b.object_name, b.rows) if b.operation == "update"
                else self.upsert(b.object_name, b.key_field, b.rows) for b in batches]

    def update(self, object_name: str, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self.calls["update"] += 1
        return [self._update_one(object_name, dict(row)) for row in rows]

    def _upsert_one(self, object_name: str, ext: str, row: dict[str, Any]) -> WriteResult:
        key = str(row.get(ext) or "")
        if (refused := self._refusal(object_name, key, row)) is not None:
            return refused
        records = self.objects.setdefault(object_name, {})
        same = [r for r in self._live(object_name) if str(r.get(ext) or "") == key]
        if len(same) > 1:
            return WriteResult(key=key, ok=False, error_code="DUPLICATE_EXTERNAL_ID",
                               message=f"{len(same)} records share {ext} {key}")
        if same:
            self._stamp(same[0]).update(row)
            return WriteResult(key=key, ok=True, id=same[0]["Id"], created=False)
        record_id = self._new_id(object_name)
        records[record_id] = self._stamp({"Id": record_id, **row})
        return WriteResult(key=key, ok=True, id=record_id, created=True)

    def _update_one(self, object_name: str, row: dict[str, Any]) -> WriteResult:
        record_id = str(row.pop("Id", "") or "")
        if (refused := self._refusal(object_name, record_id, row)) is not None:
            return refused
        record = self.get(object_name, record_id)
        if record is None:
            return WriteResult(key=record_id, ok=False, error_code="ENTITY_IS_DELETED",
                               message="entity is deleted")
        if object_name == "Lead" and record.get("IsConverted"):
            return WriteResult(key=record_id, ok=False, error_code="CANNOT_UPDATE_CONVERTED_LEAD",
                               message="cannot reference converted lead")
        self._stamp(record).update(row)
        return WriteResult(key=record_id, ok=True, id=record_id)

    def _refusal(self, object_name: str, key: str, row: Mapping[str, Any]) -> WriteResult | None:
        if (code := self.fail.pop(key, None)) is not None:
            return WriteResult(key=key, ok=False, error_code=code, message=f"{code} (injected)",
                               retriable=code in _RETRIABLE)
        allowed = self.schemas.get(object_name)
        unknown = sorted(set(row) - allowed) if allowed else []
        if unknown:
            return WriteResult(key=key, ok=False, error_code="INVALID_FIELD",
                               message=f"No such column '{unknown[0]}' on sobject of type {object_name}")
        return None
