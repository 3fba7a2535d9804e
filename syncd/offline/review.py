"""Decisions on the review queue: ``accept`` (the item is this record) or ``reject`` (none
of the candidates). The decision is remembered, so the same pair is never asked again.

* An offline record accepted: its ``offline`` event goes to the person (the HubSpot contact,
  or the one linked to the Salesforce record, or a new contact linked to it); rejected: it
  is a new person, created where consent allows.
* A HubSpot contact accepted: it is linked to the chosen Salesforce record, and the next
  cycle writes that record; rejected: it stays unwritten and is not queued again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from syncd.effects import Link
from syncd.offline.plan import ConsentPolicy, Create, consent_allows, contact_properties, created_change, offline_event
from syncd.offline_change import OfflineChange, OfflineRow, ReviewDecision
from syncd.ports import HubSpotSource, StateStore

__all__ = ["ReviewError", "decide"]


class ReviewError(ValueError):
    """A decision that cannot be taken (unknown item, a target that is no candidate)."""


def decide(store: StateStore, hubspot: HubSpotSource, key: str, *, accept: bool, target: str | None,
           policy: ConsentPolicy, now: datetime) -> str:
    """Take a decision on review item ``key``; a sentence saying what it did."""
    item = store.review_item(key)
    if item is None:
        raise ReviewError(f"no review item {key!r} (syncd review list shows them)")
    candidates = tuple(item["candidates"])
    chosen = _target(candidates, target) if accept else None
    decision = ReviewDecision(subject=key, candidates=candidates, decision="accept" if accept else "reject",
                              target=chosen)
    if key.startswith("offline:"):
        return _offline(store, hubspot, key, decision, policy, now)
    if not accept:
        store.save_offline(OfflineChange(at=now, decisions=(decision,)))
        return f"rejected: HubSpot contact {key} stays unwritten and is not asked about again"
    sf_id = chosen.removeprefix("sf:")
    (record,) = store.mirror_candidates(emails=(), hubspot_ids=(), sf_ids=(sf_id,)) or (None,)
    if record is None:
        raise ReviewError(f"Salesforce record {sf_id} is not in the mirror (deleted, or not read yet)")
    store.save_offline(OfflineChange(at=now, decisions=(decision,), pending=(key,), links=(
        Link(hubspot_id=key, sf_object=record.object, sf_id=sf_id, matched_by="review"),)))
    return f"accepted: HubSpot contact {key} is Salesforce {record.object} {sf_id}; the next cycle writes it"


def _target(candidates: tuple[str, ...], target: str | None) -> str:
    if target is None:
        if len(candidates) != 1:
            raise ReviewError(f"several candidates ({', '.join(candidates)}): choose one with --target")
        return candidates[0]
    for c in candidates:
        if target in (c, c.partition(":")[2]):
            return c
    raise ReviewError(f"{target!r} is not a candidate of this item ({', '.join(candidates)})")


def _row(store: StateStore, key: str) -> dict[str, Any]:
    _, prefix, line = key.split(":")
    for row in store.offline_rows(status="review"):
        if row["content_hash"].startswith(prefix) and str(row["line"]) == line:
            return row
    raise ReviewError(f"the offline record of {key} is not waiting for review")


def _offline(store, hubspot, key, decision: ReviewDecision, policy, now) -> str:
    row = _row(store, key)
    base = {"content_hash": row["content_hash"], "line": row["line"], "outcome": row["outcome"],
            "fields": row["fields"]}
    target = decision.target
    if target is not None:
        kind, _, rid = target.partition(":")
        hubspot_id = rid if kind == "hs" else store.hubspot_ids_for([rid]).get(rid)
        if hubspot_id is not None:
            event = offline_event(row["content_hash"], row["line"], row["fields"], hubspot_id, now)
            done = OfflineRow(**base, status="merged", hubspot_id=hubspot_id, target=target,
                              reason=f"accepted in review: {target}")
            store.save_offline(OfflineChange(at=now, decisions=(decision,), rows=(done,), events=(event,)))
            return f"accepted: the record is HubSpot contact {hubspot_id}; the next cycle scores and writes it"
        email = (store.mirror_rows([rid]).get(rid) or {}).get("Email")
        obj = (store.mirror_candidates(emails=(), hubspot_ids=(), sf_ids=(rid,)) or [None])[0]
        sf_target = (obj.object if obj else "Lead", rid)
    else:
        email, sf_target = None, None
    fields = {**row["fields"], **({"email": email} if email else {})}
    held = consent_allows(fields, policy)
    if held is not None:
        done = OfflineRow(**base, status="held", target=target, reason=f"review {decision.decision}ed; not created: {held}")
        store.save_offline(OfflineChange(at=now, decisions=(decision,), rows=(done,)))
        return f"{decision.decision}ed; no contact created: {held}"
    create = Create(content_hash=row["content_hash"], line=row["line"], outcome=row["outcome"], fields=fields,
                    properties=contact_properties(fields), sf_target=sf_target)
    results = hubspot.create_contacts([{"properties": dict(create.properties)}])
    rows, contacts, events, links = created_change([create], results, now)
    store.save_offline(OfflineChange(at=now, decisions=(decision,), rows=tuple(rows), contacts=tuple(contacts),
                                     events=tuple(events), links=tuple(links)))
    return f"{decision.decision}ed: {rows[0].status} ({rows[0].reason})"
