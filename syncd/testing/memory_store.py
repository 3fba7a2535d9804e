"""``MemoryStateStore``: the ``StateStore`` port in process memory.

Same semantics as the SQL store: one pulled batch and its cursors land together, events
deduplicate by id, merges move links and events to the survivor, deletions purge personal
data, a chunk's facts and its settled people are kept together. Not durable, by design.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import replace
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from syncd.effects import (ChunkResult, FollowUp, HubSpotQueued, HubSpotSent, HubSpotWrite, HubSpotWritten, RoutingPositions, LifecycleUpdate, Link, MirrorPatch,
                           MirrorStale, Reject, ReviewItem, StageChange,
                           Written)
from syncd.models import CrmRecord, EngagementEvent, HubSpotContact, email_key, hubspot_text, require_aware
from syncd.ports import PullBatch
from syncd.testing.memory_offline import MemoryOfflineQueries

__all__ = ["MemoryStateStore"]


class MemoryStateStore(MemoryOfflineQueries):
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.cursors: dict[str, dict[str, Any]] = {}
        self.contacts: dict[str, dict[str, Any]] = {}
        self.events: dict[str, EngagementEvent] = {}
        self.links: dict[str, dict[str, Any]] = {}
        self.written: dict[str, dict[str, Any]] = {}
        self.lifecycle: dict[str, dict[str, Any]] = {}
        self.history: list[dict[str, Any]] = []
        self.rejects: list[dict[str, Any]] = []
        self.review: dict[str, dict[str, Any]] = {}
        self.runs: dict[str, dict[str, Any]] = {}
        self.id_history: list[dict[str, Any]] = []
        self.mirror: dict[str, dict[str, Any]] = {}
        self.hubspot_written: dict[str, dict[str, Any]] = {}
        self.outbox: dict[str, HubSpotWrite] = {}
        self.follow_ups: dict[tuple[str, int], dict[str, Any]] = {}
        self.positions: dict[str, int] = {}
        self.in_flight: dict[str, dict[str, Any]] = {}
        self.offline_file_rows: dict[str, dict[str, Any]] = {}
        self.offline_row_rows: dict[tuple[str, int], dict[str, Any]] = {}
        self.decided: dict[tuple[str, str], dict[str, Any]] = {}

    def close(self) -> None:
        """Nothing to release."""

    # -- cursors ---------------------------------------------------------------------
    def load_cursor(self, stream: str) -> Mapping[str, Any] | None:
        return copy.deepcopy(self.cursors.get(stream))

    def load_cursors(self, prefix: str = "") -> dict[str, dict[str, Any]]:
        return {k: copy.deepcopy(v) for k, v in self.cursors.items() if k.startswith(prefix)}

    def save_cursor(self, stream: str, value: Mapping[str, Any], *, now: datetime | None = None) -> None:
        self.cursors[stream] = copy.deepcopy(dict(value))

    # -- pulled data -----------------------------------------------------------------
    def save_pull_batch(self, batch: PullBatch, *, now: datetime, quiet: Collection[str] = ()) -> int:
        require_aware("now", now)
        with self._lock:
            for c in batch.contacts:
                was = (self.contacts.get(c.id) or {}).get("pending", True)
                self.contacts[c.id] = {"hubspot_id": c.id, "properties": dict(c.properties),
                                       "updated_at": c.updated_at, "archived": c.archived, "merged_into": None,
                                       "pending": was if c.id in quiet else not c.archived, "pulled_at": now}
            new = [e for e in batch.events if e.id not in self.events]
            self.events.update({e.id: e for e in new})
            for cid in {e.contact_id for e in new}:  # a new event makes its contact pending
                if cid in self.contacts:
                    self.contacts[cid]["pending"] = True
            for old, survivor in batch.merges:
                self._merge(old, survivor, now)
            for gone in batch.deleted:
                self._forget(gone, now)
            for stream, value in batch.cursors.items():
                self.save_cursor(stream, value)
            return len({e.id for e in new})

    @contextmanager
    def pull_writer(self, *, now: datetime) -> Iterator[_MemoryPullWriter]:
        """Each batch kept as ``save`` is called: there is no transaction to end."""
        yield _MemoryPullWriter(lambda batch, quiet: self.save_pull_batch(batch, now=now, quiet=quiet))

    def _merge(self, old: str, survivor: str, now: datetime) -> None:
        if old in self.contacts:
            self.contacts[old].update(merged_into=survivor, pending=False)
        for eid, e in list(self.events.items()):
            if e.contact_id == old:
                self.events[eid] = EngagementEvent(id=e.id, contact_id=survivor, kind=e.kind,
                                                   occurred_at=e.occurred_at, attributes=e.attributes)
        if old in self.links:
            self.links[survivor] = {**self.links.pop(old), "hubspot_id": survivor}
        self.id_history.append({"hubspot_id": old, "event": "merged", "detail": {"into": survivor}, "at": now})
        if survivor in self.contacts:
            self.contacts[survivor]["pending"] = True

    def _forget(self, hubspot_id: str, now: datetime) -> None:
        if hubspot_id in self.contacts:
            self.contacts[hubspot_id].update(archived=True, pending=False, properties={})
        for eid, e in list(self.events.items()):
            if e.contact_id == hubspot_id:
                self.events[eid] = EngagementEvent(id=e.id, contact_id=e.contact_id, kind=e.kind,
                                                   occurred_at=e.occurred_at, attributes={})
        self.review.pop(hubspot_id, None)
        self.id_history.append({"hubspot_id": hubspot_id, "event": "deleted", "detail": {}, "at": now})

    def _live(self, row: Mapping[str, Any]) -> bool:
        return not row["archived"] and row["merged_into"] is None

    def contact_properties(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {h: dict(self.contacts[h]["properties"]) for h in hubspot_ids if h in self.contacts}

    def contact_ids_by_email(self, emails: Sequence[str]) -> dict[str, str]:
        wanted = {k for e in emails if (k := email_key(e))}
        holders: dict[str, list[str]] = {}
        for h, row in self.contacts.items():
            key = email_key(row["properties"].get("email"))
            if key in wanted and self._live(row):
                holders.setdefault(key, []).append(h)
        return {key: ids[0] for key, ids in holders.items() if len(ids) == 1}

    def pending_contacts(self, limit: int = 1000, *, after: str = "") -> list[HubSpotContact]:
        ids = sorted(h for h, r in self.contacts.items() if r["pending"] and self._live(r) and h > after)
        return [HubSpotContact(id=h, properties=dict(self.contacts[h]["properties"]),
                               updated_at=self.contacts[h]["updated_at"]) for h in ids[:limit]]

    def count_pending(self) -> int:
        return sum(1 for r in self.contacts.values() if r["pending"] and self._live(r))

    def mark_due_for_review(self, now: datetime) -> int:
        require_aware("now", now)
        due = [h for h, lc in self.lifecycle.items() if lc["next_review_at"] is not None
               and lc["next_review_at"] <= now and h in self.contacts]
        count = 0
        for h in due:
            row = self.contacts[h]
            if not row["pending"] and self._live(row):
                row["pending"], count = True, count + 1
        return count

    def events_for(self, contact_ids: Sequence[str]) -> dict[str, list[EngagementEvent]]:
        out: dict[str, list[EngagementEvent]] = {cid: [] for cid in contact_ids}
        for e in sorted(self.events.values(), key=lambda e: (e.occurred_at, e.id)):
            if e.contact_id in out:
                out[e.contact_id].append(e)
        return out

    def contact(self, hubspot_id: str) -> dict[str, Any] | None:
        row = self.contacts.get(hubspot_id)
        return copy.deepcopy(row) if row else None

    def find_contact_by_email(self, email: str) -> str | None:
        wanted = email.strip().lower()
        for h, row in self.contacts.items():
            if self._live(row) and (row["properties"].get("email") or "").strip().lower() == wanted:
                return h
        return None

    # -- Salesforce side -------------------------------------------------------------
    def id_map(self, hubspot_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        return {h: (self.links[h]["sf_object"], self.links[h]["sf_id"]) for h in hubspot_ids if h in self.links}

    def record_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {h: copy.deepcopy(self.written[h]) for h in hubspot_ids if h in self.written}

    def hubspot_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {h: copy.deepcopy(self.hubspot_written[h]) for h in hubspot_ids if h in self.hubspot_written}

    def hubspot_outbox(self, *, after: str = "", limit: int = 1000, clears: bool | None = None) -> list[HubSpotWrite]:
        with self._lock:
            return [self.outbox[h] for h in sorted(self.outbox)
                    if h > after and (clears is None or bool(self.outbox[h].clear_first) == clears)][:limit]

    def lifecycle_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {h: copy.deepcopy(self.lifecycle[h]["state"]) for h in hubspot_ids if h in self.lifecycle}

    def stage_history(self, hubspot_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.history if r["hubspot_id"] == hubspot_id]

    def save_writes_in_flight(self, writes: Mapping[str, Mapping[str, Any]], *, run_id: str,
                              now: datetime) -> None:
        require_aware("now", now)
        with self._lock:
            for h, entry in writes.items():
                self.in_flight[h] = copy.deepcopy(dict(entry))

    def writes_in_flight(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {h: copy.deepcopy(self.in_flight[h]) for h in hubspot_ids if h in self.in_flight}

    def commit_chunk(self, result: ChunkResult, *, now: datetime) -> None:
        require_aware("now", now)
        for fact in result.facts:  # all or nothing: refuse before keeping anything
            _check(fact)
        with self._lock:
            for fact in result.facts:
                self._keep(fact, now)
            for h in result.settled:
                if h in self.contacts:
                    self.contacts[h]["pending"] = False
            for h in result.accounted_for:
                self.in_flight.pop(h, None)

    def _keep(self, f: Any, now: datetime) -> None:
        if isinstance(f, Link):
            self.links[f.hubspot_id] = {"hubspot_id": f.hubspot_id, "sf_object": f.sf_object, "sf_id": f.sf_id,
                                        "matched_by": f.matched_by, "updated_at": now}
        elif isinstance(f, Written):
            self.written[f.hubspot_id] = {"hubspot_id": f.hubspot_id, "sf_object": f.sf_object, "sf_id": f.sf_id,
                                          "hash": f.digest, "fields": copy.deepcopy(dict(f.fields)),
                                          "written_at": now}
        elif isinstance(f, LifecycleUpdate):
            self.lifecycle[f.hubspot_id] = {"hubspot_id": f.hubspot_id, "stage": f.stage,
                                            "state": copy.deepcopy(dict(f.state)),
                                            "next_review_at": f.next_review_at, "updated_at": now}
        elif isinstance(f, StageChange):
            self.history.append({"seq": len(self.history) + 1, "hubspot_id": f.hubspot_id,
                                 "from_stage": f.from_stage, "to_stage": f.to_stage, "at": f.at, "rule": f.rule,
                                 "reason": f.reason, "evidence": copy.deepcopy(dict(f.evidence)),
                                 "run_id": f.run_id})
        elif isinstance(f, Reject):
            self.rejects.append({"seq": len(self.rejects) + 1, "run_id": f.run_id, "hubspot_id": f.hubspot_id,
                                 "sf_object": f.sf_object, "code": f.code, "message": f.message, "at": f.at})
        elif isinstance(f, HubSpotWritten):
            self.hubspot_written[f.hubspot_id] = {"hubspot_id": f.hubspot_id, "written_at": now,
                                                  "properties": copy.deepcopy(dict(f.properties))}
            if f.hubspot_id in self.contacts:
                self.contacts[f.hubspot_id]["properties"] = {**self.contacts[f.hubspot_id]["properties"],
                                                             **{k: hubspot_text(v) for k, v in f.properties.items()}}
        elif isinstance(f, HubSpotQueued):
            self.outbox[f.hubspot_id] = f.write
        elif isinstance(f, HubSpotSent):
            if f.cleared and f.hubspot_id in self.outbox:
                self.outbox[f.hubspot_id] = replace(self.outbox[f.hubspot_id], clear_first=())
            elif not f.cleared:
                self.outbox.pop(f.hubspot_id, None)
        elif isinstance(f, FollowUp):
            self.follow_ups[(f.hubspot_id, f.seq)] = {k: getattr(f, k) for k in f.__dataclass_fields__}
        elif isinstance(f, RoutingPositions):
            self.positions.update(f.positions)
        elif isinstance(f, MirrorPatch):
            row = self.mirror.get(f.sf_id) or {"sf_id": f.sf_id, "sf_object": f.sf_object, "fields": {"Id": f.sf_id},
                                               "email_key": None, "external_id": None,
                                               "converted_contact_id": None, "modstamp": None}
            row = {**row, "fields": {**row["fields"], **copy.deepcopy(dict(f.fields))}, "deleted": False,
                   "updated_at": now}
            if "Email" in f.fields:
                row["email_key"] = f.email_key
            if f.external_id:
                row["external_id"] = f.external_id
            self.mirror[f.sf_id] = row
        elif isinstance(f, MirrorStale):
            if f.sf_id in self.mirror:
                self.mirror[f.sf_id]["deleted"] = True
        elif isinstance(f, ReviewItem):
            self.review[f.hubspot_id] = {"hubspot_id": f.hubspot_id, "reason": f.reason,
                                         "candidates": list(f.candidates), "created_at": now}


    # -- the Salesforce mirror --------------------------------------------------------
    def mirror_rows(self, sf_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {i: copy.deepcopy(self.mirror[i]["fields"]) for i in sf_ids if i in self.mirror}

    def save_mirror(self, rows: Sequence[Mapping[str, Any]], *, cursors: Mapping[str, Mapping[str, Any]],
                    pending: Collection[str], now: datetime) -> None:
        require_aware("now", now)
        with self._lock:
            for row in rows:
                self.mirror[row["sf_id"]] = {**copy.deepcopy(dict(row)), "updated_at": now}
            for stream, value in cursors.items():
                self.save_cursor(stream, value)
            for h in pending:
                if h in self.contacts and not self.contacts[h]["archived"]:
                    self.contacts[h]["pending"] = True

    def mirror_candidates(self, *, emails: Collection[str], hubspot_ids: Collection[str],
                          sf_ids: Collection[str]) -> list[CrmRecord]:
        emails, hubspot_ids, sf_ids = set(emails), set(hubspot_ids), set(sf_ids)
        found = {}
        for sf_id, row in self.mirror.items():
            if row["deleted"]:
                continue
            by_email = row["email_key"] in emails and not (row["sf_object"] == "Lead" and row["converted_contact_id"])
            if by_email or row["external_id"] in hubspot_ids or sf_id in sf_ids:
                found[sf_id] = row
        for row in list(found.values()):
            target = self.mirror.get(row["fields"].get("ConvertedContactId") or "")
            if target is not None and not target["deleted"]:
                found[target["sf_id"]] = target
        return [CrmRecord(object=r["sf_object"], id=r["sf_id"], fields=copy.deepcopy(r["fields"]))
                for r in found.values()]

    def hubspot_ids_for(self, sf_ids: Sequence[str]) -> dict[str, str]:
        wanted = set(sf_ids)
        return {row["sf_id"]: h for h, row in self.links.items() if row["sf_id"] in wanted}

    def mirror_size(self) -> int:
        return sum(1 for r in self.mirror.values() if not r["deleted"])

    # -- the sales loop ----------------------------------------------------------------
    def follow_ups_for(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        wanted, out = set(hubspot_ids), {}
        for (h, _), row in sorted(self.follow_ups.items()):
            if h in wanted:
                out[h] = dict(row)
        return out

    def open_follow_ups(self) -> list[dict[str, Any]]:
        return sorted((dict(r) for r in self.follow_ups.values() if r["status"] in ("open", "breached")),
                      key=lambda r: r["due_at"])

    def touch_follow_ups(self, touches: Mapping[str, datetime]) -> int:
        n = 0
        for row in self.follow_ups.values():
            if row["key"] in touches and row["status"] in ("open", "breached"):
                row.update(status="touched", touched_at=touches[row["key"]])
                n += 1
        return n

    def mark_pending(self, hubspot_ids: Sequence[str]) -> None:
        for h in hubspot_ids:
            row = self.contacts.get(h)
            if row is not None and self._live(row):
                row["pending"] = True

    def open_per_owner(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in self.follow_ups.values():
            if row["status"] in ("open", "breached"):
                counts[row["owner_id"]] = counts.get(row["owner_id"], 0) + 1
        return counts

    def routing_positions(self) -> dict[str, int]:
        return dict(self.positions)

    def follow_up_stats(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.follow_ups.values()]

    def review_items(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.review.values()]

    # -- runs ------------------------------------------------------------------------
    def start_run(self, run_id: str, *, now: datetime) -> None:
        require_aware("now", now)
        self.runs[run_id] = {"run_id": run_id, "started_at": now, "finished_at": None, "status": "running",
                             "summary": {}, "error": None}

    def finish_run(self, run_id: str, *, now: datetime, status: str, summary: Mapping[str, Any],
                   error: str | None = None) -> None:
        require_aware("now", now)
        self.runs[run_id].update(finished_at=now, status=status, summary=copy.deepcopy(dict(summary)), error=error)

    def last_runs(self, limit: int = 10) -> list[dict[str, Any]]:
        return [dict(r) for r in sorted(self.runs.values(), key=lambda r: r["started_at"], reverse=True)[:limit]]

    def counts(self) -> dict[str, int]:
        return {"contacts": len(self.contacts), "engagement": len(self.events), "id_map": len(self.links),
                "review_queue": len(self.review), "rejects": len(self.rejects)}


_KEPT = (Link, Written, LifecycleUpdate, StageChange, Reject, ReviewItem, MirrorStale, MirrorPatch, HubSpotWritten, HubSpotQueued, HubSpotSent,
         FollowUp,
         RoutingPositions)


def _check(fact: Any) -> None:
    """What the SQL store would refuse: an unknown fact, a naive time."""
    if not isinstance(fact, _KEPT):
        raise TypeError(f"the state store does not keep facts of type {type(fact).__name__}")
    for name in ("at", "next_review_at", "started_at", "due_at", "touched_at", "breached_at"):
        value = getattr(fact, name, None)
        if value is not None:
            require_aware(name, value)


class _MemoryPullWriter:
    def __init__(self, save: Callable[[PullBatch, Collection[str]], int]) -> None:
        self.save = save

    def commit(self) -> int:
        """Nothing to end: every batch was kept (and its new events counted) as it was saved."""
        return 0
