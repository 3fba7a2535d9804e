"""The local mirror of Salesforce people, kept current once per cycle by the change feed.

Matching reads the mirror instead of querying Salesforce for every chunk. The feed also
tells which linked people changed on the Salesforce side in a way that matters (sales'
verdict, owner, conversion, a field syncd maps): those become pending so the cycle looks at
them again. syncd's own writes come back through the feed too; a field holding exactly what
syncd last wrote there is no news, so they start nothing (no echo).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog

from syncd.models import CrmRecord
from syncd.sync.match import canonical_email
from syncd.sync.plan import same_value
from syncd.timefmt import as_instant

__all__ = ["FEED", "MirrorStep", "mirror_row", "worth_a_look"]

FEED = "salesforce:people"
OBJECTS = ("Lead", "Contact")
VOLATILE = frozenset({"SystemModstamp", "LastModifiedDate", "LastActivityDate", "attributes"})


def mirror_row(record: CrmRecord, external_id_field: str) -> dict[str, Any]:
    """The store's row for one record read from the feed."""
    f = record.fields
    return {"sf_id": record.id, "sf_object": record.object, "fields": dict(f),
            "email_key": canonical_email(f.get("Email")), "external_id": f.get(external_id_field) or None,
            "converted_contact_id": f.get("ConvertedContactId") or None,
            "modstamp": as_instant(f.get("SystemModstamp")), "deleted": bool(f.get("IsDeleted"))}


def worth_a_look(old: Mapping[str, Any] | None, new: Mapping[str, Any],
                 last_written: Mapping[str, Any] | None,
                 owner_matters: Callable[[str | None], bool] | None = None) -> bool:
    """Did the record change in a way the cycle must look at? Fields back to what syncd
    last wrote are its own echo; a record first seen counts only where it differs from
    what syncd wrote into it. The owner Salesforce gives a record syncd created without
    one counts only where ``owner_matters`` says so (it has a HubSpot owner to write back)."""
    written = last_written or {}
    if old is None:
        keys = set(written)
    else:
        keys = {k for k in new.keys() | old.keys() if k not in VOLATILE and not same_value(old.get(k), new.get(k))}
        if "OwnerId" in keys and "OwnerId" not in old and "OwnerId" not in written and owner_matters is not None \
                and not owner_matters(new.get("OwnerId")):
            keys.discard("OwnerId")
    return any(not (k in written and same_value(written[k], new.get(k))) for k in keys)


@dataclass(frozen=True, slots=True)
class MirrorStep:
    """A cycle step: read the feed, keep it, and make pending who changed in Salesforce.

    The feed is read when people are pending (they are about to be matched against it), and
    otherwise once ``every`` has passed since the last read, so an idle cycle soon after
    another costs no Salesforce call."""

    every: timedelta = timedelta(minutes=5)
    tasks: bool = False  # also follow syncd's follow-up tasks (routing is on)

    def due(self, store: Any, cursor: Mapping[str, Any], now: datetime) -> bool:
        read_at = as_instant(cursor.get("read_at"))
        return read_at is None or now - read_at >= self.every or store.count_pending() > 0

    def run(self, deps: Any, summary: Any, *, now: datetime, run_id: str) -> None:
        store, ext = deps.store, deps.rules.external_id_field
        cursor = dict(store.load_cursor(FEED) or {})
        if not self.due(store, cursor, now):
            return
        cursor["read_at"] = now.isoformat()
        objects = (*OBJECTS, "Task") if self.tasks else OBJECTS
        newest: dict[str, Boundary] = {}
        closed: dict[str, datetime] = {}
        pending: set[str] = set()
        rows = 0
        owner_matters = _owner_matters(deps, now)
        since = {o: as_instant(cursor.get(o)) for o in objects}
        held = {o: n for o in objects if isinstance(n := cursor.get(f"{o}{HELD}"), int)}
        # Stored chunk by chunk as read (a first fill reads every record); the cursor only
        # moves once all is stored, so a read cut short starts again and skips what it holds.
        for object_name, records in deps.crm.people_pages(since, held):
            newest[object_name] = newest.get(object_name, Boundary()).seen(records)
            if object_name == "Task":
                closed.update((t.fields["Syncd_Key__c"], as_instant(t.fields.get("SystemModstamp")) or now)
                              for t in records if t.fields.get("IsClosed"))
                continue
            old = store.mirror_rows([r.id for r in records])
            fresh = [r for r in records
                     if (old.get(r.id) or {}).get("SystemModstamp") != r.fields.get("SystemModstamp")]
            changed = _people_to_look_at(store, fresh, old, ext, owner_matters)
            if fresh or changed:
                store.save_mirror([mirror_row(r, ext) for r in fresh], cursors={}, pending=changed, now=now)
            rows += len(fresh)
            pending |= changed
        if closed:
            summary.other["sla_touched"] += store.touch_follow_ups(closed)
        for object_name, boundary in newest.items():
            if boundary.stamp is not None:  # the newest stamp read, and how many rows carry it
                cursor[object_name], cursor[f"{object_name}{HELD}"] = boundary.stamp, boundary.rows
        store.save_mirror([], cursors={FEED: cursor}, pending=(), now=now)
        summary.other["mirrored"] += rows
        summary.other["changed_in_salesforce"] += len(pending)
        structlog.get_logger("syncd.cycle").debug("mirror.refreshed", run_id=run_id, rows=rows,
                                                  pending=len(pending))


HELD = "@held"  # cursor key suffix: rows stamped at the object's cursor that the mirror holds


@dataclass(frozen=True, slots=True)
class Boundary:
    """The newest ``SystemModstamp`` of an object's rows read so far, and how many rows carry
    it. A read returns every row stamped after the cursor, and the rows at the cursor too
    whenever their number changed, so the rows at the newest stamp are all in hand."""

    stamp: str | None = None
    at: datetime | None = None
    rows: int = 0

    def seen(self, records: Sequence[CrmRecord]) -> Boundary:
        stamp, at, rows = self.stamp, self.at, self.rows
        for r in records:
            raw = r.fields.get("SystemModstamp")
            when = as_instant(raw) if raw else None
            if when is None:
                continue
            if at is None or when > at:
                stamp, at, rows = raw, when, 1
            elif when == at:
                rows += 1
        return Boundary(stamp, at, rows)


def _owner_matters(deps: Any, now: datetime) -> Callable[[str | None], bool]:
    """Whether a Salesforce owner first seen on a record syncd created changes anything: only
    when the mapping writes the owner back and that user is a HubSpot owner too (the
    directory is read only if such an owner turns up)."""
    if "owner" not in deps.rules.mapping.hubspot.properties() or getattr(deps, "directory", None) is None:
        return lambda owner_id: False
    return lambda owner_id: deps.directory.get(now).hubspot_owner_of(owner_id) is not None


def _people_to_look_at(store: Any, records: Sequence[CrmRecord], old: Mapping[str, Mapping[str, Any]],
                       ext: str, owner_matters: Callable[[str | None], bool] | None = None) -> set[str]:
    links = store.hubspot_ids_for([r.id for r in records])
    owner = {r.id: links.get(r.id) or r.fields.get(ext) for r in records}
    written = store.record_states(sorted({h for h in owner.values() if h}))
    return {h for r in records if (h := owner[r.id])
            and worth_a_look(old.get(r.id), r.fields, (written.get(h) or {}).get("fields"), owner_matters)}
