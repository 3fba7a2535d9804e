"""``MemoryHubSpot``: the ``HubSpotSource`` port over a portal held in memory.

Every change (a contact written, an event recorded, a merge, a deletion) is appended to a
change log; a pull returns what follows its cursor, ``page_size`` changes a batch, each batch
with the cursor that covers it. Only the requested properties are returned, as HubSpot does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from syncd.models import EngagementEvent, HubSpotContact, WriteResult
from syncd.ports import ApiUsage, CursorStore, PullBatch

__all__ = ["MemoryHubSpot"]

STREAM = "memory"
ALWAYS_RETURNED = frozenset({"email", "createdate", "lastmodifieddate", "hs_object_id"})
DEFAULT_STAGES = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
                  "customer", "evangelist", "other"]


class MemoryHubSpot:
    def __init__(self, *, page_size: int = 100, stages: Sequence[str] = DEFAULT_STAGES,
                 owners: Sequence[Mapping[str, Any]] = ()) -> None:
        self.contacts: dict[str, HubSpotContact] = {}
        self.owner_list = [dict(o) for o in owners]
        self.requests: list[tuple[str, list[dict[str, Any]]]] = []  # every write, as sent
        self.clock: Callable[[], datetime] | None = None  # when set, writes stamp updated_at
        self.log: list[tuple[str, Any]] = []
        self.page_size = page_size
        self.stages = list(stages)
        self.calls: Counter = Counter()

    # -- what happens in the portal --------------------------------------------------
    def put_contact(self, contact: HubSpotContact) -> None:
        self.contacts[contact.id] = contact
        self.log.append(("contact", contact.id))

    def record(self, event: EngagementEvent) -> None:
        self.log.append(("event", event))

    def merge(self, old: str, survivor: str) -> None:
        self.contacts.pop(old, None)
        self.log.append(("merge", (old, survivor)))

    def delete(self, contact_id: str) -> None:
        self.contacts.pop(contact_id, None)
        self.log.append(("delete", contact_id))

    # -- the port --------------------------------------------------------------------
    def pull(self, cursors: Mapping[str, Mapping[str, Any]], *, properties: Sequence[str], now: datetime,
             priority_ids: Sequence[str] = ()) -> Iterator[PullBatch]:
        start = int((cursors.get(STREAM) or {}).get("seq", 0))
        self.calls["pull"] += 1
        for lo in range(start, len(self.log), self.page_size):
            self.calls["page"] += 1
            yield self._batch(self.log[lo:lo + self.page_size], properties, seq=min(lo + self.page_size,
                                                                                      len(self.log)))

    def _batch(self, changes: Sequence[tuple[str, Any]], properties: Sequence[str], *, seq: int) -> PullBatch:
        contacts, events, merges, deleted = {}, [], [], []
        for kind, item in changes:
            if kind == "contact" and item in self.contacts:
                contacts[item] = self._shaped(self.contacts[item], properties)
            elif kind == "event":
                events.append(item)
            elif kind == "merge":
                merges.append(item)
            elif kind == "delete":
                deleted.append(item)
        return PullBatch(contacts=list(contacts.values()), events=events, merges=merges, deleted=deleted,
                         cursors={STREAM: {"seq": seq}})

    @staticmethod
    def _shaped(contact: HubSpotContact, properties: Sequence[str]) -> HubSpotContact:
        wanted = set(properties) | ALWAYS_RETURNED
        return HubSpotContact(id=contact.id, updated_at=contact.updated_at, archived=contact.archived,
                              properties={k: v for k, v in contact.properties.items() if k in wanted})

    def backfill(self, cursor_store: CursorStore, *, since: datetime, now: datetime,
                 on_batch: Callable[[PullBatch], None], progress: Any = None,
                 slice_length: timedelta = timedelta(days=7), properties: Sequence[str] = ()) -> dict[str, int]:
        done = cursor_store.load_cursor(f"backfill:{STREAM}") or {}
        cursor = dict(done.get("cursor") or {})
        pages = 0
        for batch in self.pull({STREAM: cursor}, properties=properties, now=now):
            on_batch(batch)
            cursor, pages = dict(batch.cursors[STREAM]), pages + 1
            cursor_store.save_cursor(f"backfill:{STREAM}", {"cursor": cursor})
        if cursor:
            cursor_store.save_cursor(STREAM, cursor)
        return {STREAM: pages}

    def lifecycle_stages(self) -> list[str]:
        self.calls["properties"] += 1
        return list(self.stages)

    def update_contacts(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self.calls["batch/update"] += 1
        self.requests.append(("update", [dict(r) for r in rows]))
        out = []
        for row in rows:
            key = str(row["id"])
            old = self.contacts.get(key)
            if old is None:
                out.append(WriteResult(key=key, ok=False, error_code="OBJECT_NOT_FOUND",
                                       message=f"Object {key} was not found"))
                continue
            props = {**old.properties, **self._forward_only(old.properties, dict(row["properties"]))}
            self.put_contact(HubSpotContact(id=key, properties=props, updated_at=self._now(old.updated_at)))
            out.append(WriteResult(key=key, ok=True, id=key))
        return out

    def _forward_only(self, current: Mapping[str, Any], props: dict[str, Any]) -> dict[str, Any]:
        """HubSpot ignores a backward ``lifecyclestage`` unless the stored value is blank."""
        new, old = props.get("lifecyclestage"), current.get("lifecyclestage")
        if new and old and old in self.stages and new in self.stages and \
                self.stages.index(new) < self.stages.index(old):
            props.pop("lifecyclestage")
        return props

    def create_contacts(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        self.calls["batch/create"] += 1
        self.requests.append(("create", [dict(r) for r in rows]))
        out = []
        for row in rows:
            props = dict(row["properties"])
            key = str(props.get("email") or "").lower()
            if any((c.properties.get("email") or "").lower() == key for c in self.contacts.values()):
                out.append(WriteResult(key=key, ok=False, error_code="CONFLICT",
                                       message="A contact with this email already exists"))
                continue
            new_id = str(max([int(i) for i in self.contacts if i.isdigit()] + [100000]) + 1)
            self.put_contact(HubSpotContact(id=new_id, properties=props, updated_at=self._now(None)))
            out.append(WriteResult(key=key, ok=True, id=new_id, created=True))
        return out

    def _now(self, fallback: datetime | None) -> datetime:
        if self.clock is not None:
            return self.clock()
        if fallback is None:
            raise ValueError("MemoryHubSpot.clock must be set to create contacts")
        return fallback

    def fold_own_writes(self, cursors: Mapping[str, Mapping[str, Any]]) -> None:
        """Nothing to fold: the change log returns syncd's own updates, recognised by value."""
        return None

    def owners(self) -> list[dict[str, Any]]:
        self.calls["owners"] += 1
        return [dict(o) for o in self.owner_list]

    def usage(self) -> ApiUsage:
        return ApiUsage(calls=dict(self.calls), remaining=None)
