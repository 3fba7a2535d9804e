"""Writes in flight: what a chunk is about to write to Salesforce, kept before it writes.

A chunk's Salesforce writes and its local commit cannot be one transaction. A crash between
them leaves Salesforce holding what syncd wrote while the state store still holds the state
from before the chunk, so the chunk runs again; it must then reach the result the same chunk
reaches when nothing stops it. It would not if it read syncd's own values back as news: the
owner routing gave a Lead would be "the record's current owner" the second time (no
round-robin turn taken, so another rep gets the territory's next lead), and a Lead syncd
created would be a record whose Lead Status is sales' verdict.

So before writing, a chunk keeps per person the fields it is about to send and what each
held before (``planned``). Until a chunk accounts for that person, they are qualified and
routed on the record as it was (``as_before``): a field that holds what syncd sent reads as
it did before, and a record syncd created, still as syncd created it, reads as no record. A
field someone else changed since holds another value, and is news as always. (HubSpot
write-back is queued with the chunk's commit and sent after it, so it is never in flight
here.)

A follow-up task about to be sent is kept by its key, with the times its follow-up counts
from. The run after looks for that task in Salesforce before sending it again
(``task_sent_before``): one that is there is kept as it is, so what the rep did to it in
between stands, and the follow-up keeps the first run's times (``task_times``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from syncd.effects import RecordWrite, TaskWrite
from syncd.models import CrmRecord
from syncd.sync.plan import same_value

__all__ = ["as_before", "merged", "planned", "task_sent_before", "task_times"]


def planned(plans: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Pure: per person with a Salesforce write in ``plans`` (the plan stage's
    ``PersonPlan``s), the record fields about to be sent and the values they replace, and
    the follow-up tasks about to be sent with the times their follow-ups count from, merged
    with what an earlier run that did not commit kept for them."""
    out: dict[str, dict[str, Any]] = {}
    for pp in plans:
        new: dict[str, Any] = {}
        for e in pp.effects:
            if isinstance(e, RecordWrite):
                new.update({"object": e.object_name, "created": e.record_id is None, "sent": dict(e.fields),
                            "old": {} if e.record_id is None else {k: e.old.get(k) for k in e.fields}})
            elif isinstance(e, TaskWrite):
                new.setdefault("tasks", {})[e.key] = _times(e.follow_up)
        if new:
            out[pp.person.id] = merged(pp.person.in_flight, new)
    return out


def _times(follow_up: Any) -> dict[str, str]:
    if follow_up is None:
        return {}
    return {"started_at": follow_up.started_at.isoformat(), "due_at": follow_up.due_at.isoformat()}


def task_times(entry: Mapping[str, Any] | None, key: str) -> tuple[datetime, datetime] | None:
    """When the follow-up of task ``key`` kept in ``entry`` started and is due, if the run
    that kept it planned that task with a follow-up."""
    times = _tasks(entry).get(key)
    if not times:
        return None
    return datetime.fromisoformat(times["started_at"]), datetime.fromisoformat(times["due_at"])


def task_sent_before(entry: Mapping[str, Any] | None, key: str) -> bool:
    """Whether a run that did not commit was about to send task ``key``."""
    return key in _tasks(entry)


def _tasks(entry: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return (entry or {}).get("tasks") or {}


def merged(earlier: Mapping[str, Any] | None, later: Mapping[str, Any]) -> dict[str, Any]:
    """One person's entry kept by a run that did not commit, with what a later run of the
    same person is about to send: the values from before stay those the first run saw, and
    a task keeps the times of the first run that planned it."""
    if not earlier:
        return dict(later)
    return {**earlier, **later, "created": bool(earlier.get("created") or later.get("created")),
            "sent": {**earlier.get("sent", {}), **later.get("sent", {})},
            "old": {**later.get("old", {}), **earlier.get("old", {})},
            "tasks": {**later.get("tasks", {}), **earlier.get("tasks", {})}}


def as_before(record: CrmRecord | None, entry: Mapping[str, Any] | None) -> CrmRecord | None:
    """Pure: the Salesforce record as it was before syncd's writes in ``entry``."""
    if not entry or record is None:
        return record
    sent, old = entry.get("sent") or {}, entry.get("old") or {}
    if entry.get("created"):
        untouched = all(same_value(record.fields.get(k), v) for k, v in sent.items())
        return None if untouched else record  # else someone worked on it since: it is news
    fields = {k: old[k] if k in sent and k in old and same_value(v, sent[k]) else v
              for k, v in record.fields.items()}
    return record if fields == record.fields else replace(record, fields=fields)
