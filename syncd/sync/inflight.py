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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from syncd.effects import RecordWrite
from syncd.models import CrmRecord
from syncd.sync.plan import same_value

__all__ = ["as_before", "merged", "planned"]


def planned(plans: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """Pure: per person with a Salesforce record write in ``plans`` (the plan stage's
    ``PersonPlan``s), the fields about to be sent and the values they replace, merged with
    what an earlier run that did not commit kept for them."""
    out: dict[str, dict[str, Any]] = {}
    for pp in plans:
        for e in pp.effects:
            if isinstance(e, RecordWrite):
                new = {"object": e.object_name, "created": e.record_id is None, "sent": dict(e.fields),
                       "old": {} if e.record_id is None else {k: e.old.get(k) for k in e.fields}}
                out[pp.person.id] = merged(pp.person.in_flight, new)
    return out


def merged(earlier: Mapping[str, Any] | None, later: Mapping[str, Any]) -> dict[str, Any]:
    """One person's entry kept by a run that did not commit, with what a later run of the
    same person is about to send: the values from before stay those the first run saw."""
    if not earlier:
        return dict(later)
    return {**later, "created": bool(earlier.get("created") or later.get("created")),
            "sent": {**earlier.get("sent", {}), **later.get("sent", {})},
            "old": {**later.get("old", {}), **earlier.get("old", {})}}


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
