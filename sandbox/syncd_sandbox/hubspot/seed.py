"""Load a portal seed into a state and dump a state back to sorted, JSON-able data.

A dump is a seed too: besides the seed fields it carries property history, archive times,
merges, GDPR deletions and the id counter, so ``from_seed(dump())`` restores the portal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .records import Record, id_key
from .timeutil import iso, parse_time

if TYPE_CHECKING:
    from .state import HubSpotState

__all__ = ["load_seed", "dump_state"]


def _record(row: dict, where: str) -> Record:
    try:
        archived_at = row.get("archivedAt")
        return Record(id=str(row["id"]), properties=dict(row.get("properties") or {}),
                      created_at=parse_time(row["createdAt"]),
                      updated_at=parse_time(row.get("updatedAt") or row["createdAt"]),
                      archived=bool(row.get("archived", False)),
                      archived_at=parse_time(archived_at) if archived_at else None,
                      history={k: [tuple(e) for e in v] for k, v in (row.get("history") or {}).items()})
    except KeyError as exc:
        raise ValueError(f"seed {where}: missing field {exc.args[0]!r}") from None
    except ValueError as exc:
        raise ValueError(f"seed {where}: {exc}") from None


def load_seed(state: "HubSpotState", data: dict) -> None:
    """Fill ``state`` from a seed dict; raises ``ValueError`` naming the bad entry."""
    for i, row in enumerate(data.get("contacts") or []):
        record = _record(row, f"contacts[{i}]")
        if record.id in state.contacts.records:
            raise ValueError(f"seed contacts[{i}]: duplicate id {record.id}")
        state.contacts.add(record)
        if not record.archived:
            state.rules.index(record)
        state.contact_assoc.setdefault(record.id, {})
    for kind, rows in (data.get("engagements") or {}).items():
        if kind not in state.assoc:
            raise ValueError(f"seed engagements: unknown type {kind!r}; use one of "
                             f"{', '.join(state.assoc)}")
        for i, row in enumerate(rows):
            record = _record(row, f"engagements.{kind}[{i}]")
            state.stores[kind].add(record)
            link(state, kind, record.id, [str(c) for c in row.get("contact_ids") or []])
    state.redirects = {str(k): str(v) for k, v in (data.get("merged") or {}).items()}
    state.gdpr_deleted = [str(i) for i in data.get("gdpr_deleted") or []]
    state.counter = int(data.get("counter", 0))
    # Ids of deleted and merged-away contacts are never handed out again.
    gone = [int(i) for i in [*state.redirects, *state.gdpr_deleted] if i.isdigit()]
    state.contacts.max_numeric_id = max([state.contacts.max_numeric_id, *gone])
    state.forms = _rows(data, "forms", ("id", "name", "createdAt"))
    for sub in _rows(data, "form_submissions", ("formGuid", "conversionId", "submittedAt", "values")):
        state.submissions.setdefault(sub["formGuid"], []).append(sub)
    state.email_events = _rows(data, "email_events", ("id", "created", "type", "recipient"))
    state.events = _rows(data, "events", ("id", "eventType", "objectId", "occurredAt"))
    for i, event in enumerate(state.events):
        try:
            parse_time(event["occurredAt"])
        except ValueError as exc:
            raise ValueError(f"seed events[{i}].occurredAt: {exc}") from None
    state.changed()


def _rows(data: dict, key: str, required: tuple[str, ...]) -> list[dict]:
    """Copies of ``data[key]``'s rows, each checked for its required fields."""
    rows = [dict(r) for r in data.get(key) or []]
    for i, row in enumerate(rows):
        missing = [f for f in required if row.get(f) is None]
        if missing:
            raise ValueError(f"seed {key}[{i}]: missing field {missing[0]!r} "
                             f"(required: {', '.join(required)})")
    return rows


def link(state: "HubSpotState", kind: str, engagement_id: str, contact_ids: list[str]) -> None:
    """Associate an engagement with contacts, both directions."""
    state.assoc[kind][engagement_id] = list(contact_ids)
    for cid in contact_ids:
        state.contact_assoc.setdefault(cid, {}).setdefault(kind, []).append(engagement_id)


def _dump_record(record: Record) -> dict[str, Any]:
    out = {"id": record.id, "createdAt": iso(record.created_at),
           "updatedAt": iso(record.updated_at), "archived": record.archived,
           "properties": dict(sorted(record.properties.items()))}
    if record.archived_at is not None:
        out["archivedAt"] = iso(record.archived_at)
    if record.history:
        out["history"] = {k: [list(e) for e in v] for k, v in sorted(record.history.items())}
    return out


def dump_state(state: "HubSpotState") -> dict[str, Any]:
    """Everything the portal holds, with sorted keys and ids so equal states dump equal."""
    engagements = {}
    for kind in state.assoc:
        store = state.stores[kind]
        engagements[kind] = [dict(_dump_record(store.records[i]),
                                  contact_ids=list(state.assoc[kind].get(i, [])))
                             for i in store.ids_in_order()]
    return {
        "portal_id": state.portal_id, "owners": state.owners,
        "lifecycle_stages": state.stages, "contact_properties": state.extra_props,
        "contacts": [_dump_record(state.contacts.records[i]) for i in state.contacts.ids_in_order()],
        "merged": dict(sorted(state.redirects.items(), key=lambda kv: id_key(kv[0]))),
        "gdpr_deleted": sorted(state.gdpr_deleted, key=id_key),
        "forms": state.forms,
        "form_submissions": [s for g in sorted(state.submissions) for s in state.submissions[g]],
        "email_events": state.email_events, "events": state.events,
        "engagements": engagements, "counter": state.counter,
    }
