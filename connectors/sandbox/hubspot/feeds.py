"""Activity feeds: events v3, marketing email events v1 and associations v4."""

from __future__ import annotations

from typing import Any

from .errors import ApiError, standard_error
from .http import Ctx, json_response
from .timeutil import iso, parse_time, to_ms
from .views import email_events_view, events_view

__all__ = ["list_events", "email_events", "associations", "batch_associations"]

_TYPES = {"contacts": "contacts", "contact": "contacts", "0-1": "contacts",
          "emails": "emails", "email": "emails", "0-49": "emails",
          "calls": "calls", "call": "calls", "0-48": "calls",
          "meetings": "meetings", "meeting": "meetings", "0-47": "meetings",
          "notes": "notes", "note": "notes", "0-46": "notes",
          "tasks": "tasks", "task": "tasks", "0-27": "tasks"}
# HubSpot-defined association type ids: (contact -> engagement, engagement -> contact).
TYPE_IDS = {"emails": (197, 198), "calls": (193, 194), "meetings": (199, 200),
            "notes": (201, 202), "tasks": (203, 204)}
OBJECT_TYPE_IDS = {"contacts": "0-1", "emails": "0-49", "calls": "0-48", "meetings": "0-47",
                   "notes": "0-46", "tasks": "0-27"}


def _time_param(ctx: Ctx, name: str) -> int | None:
    raw = ctx.str_param(name)
    if not raw:
        return None
    try:
        return to_ms(parse_time(raw))
    except ValueError as exc:
        raise ApiError.validation(f"{name}: {exc}", field=name) from None


def _cursor(ctx: Ctx, name: str) -> int:
    raw = ctx.str_param(name) or "0"
    if not raw.isdigit():
        raise ApiError.validation(f"{name}: {raw!r} is not a cursor returned by this API", field=name)
    return int(raw)


def list_events(ctx: Ctx) -> Any:
    """GET /events/v3/events: filter by object, type and occurredAt window; newest first
    unless ``sort=occurredAt``."""
    limit = ctx.int_param("limit", 100, low=1, high=1000)
    after, since, until = _cursor(ctx, "after"), _time_param(ctx, "occurredAfter"), _time_param(ctx, "occurredBefore")
    object_type = _TYPES.get(ctx.str_param("objectType") or "contacts")
    object_id, event_type = ctx.str_param("objectId"), ctx.str_param("eventType")
    sort = (ctx.list_param("sort") or ["-occurredAt"])[0]
    if sort.lstrip("-") != "occurredAt":
        raise ApiError.validation(f"sort: {sort!r}; use occurredAt or -occurredAt", field="sort")
    with ctx.state.lock:
        index = events_view(ctx.state).get(object_id if object_id is not None else None)
        rows = [] if index is None else index.window(since, until, inclusive=False)
    rows = [(ms, e) for ms, e in rows
            if _TYPES.get(e.get("objectType", "contact")) == object_type
            and (event_type is None or e["eventType"] == event_type)]
    if sort.startswith("-"):
        rows = rows[::-1]
    page = [e for _, e in rows[after:after + limit]]
    body: dict[str, Any] = {"results": [{"id": e["id"], "eventType": e["eventType"],
                                         "objectType": "contact" if object_type == "contacts" else object_type,
                                         "objectId": str(e["objectId"]),
                                         "occurredAt": iso(parse_time(e["occurredAt"])),
                                         "properties": dict(e.get("properties") or {})} for e in page]}
    if after + limit < len(rows):
        body["paging"] = {"next": {"after": str(after + limit), "link": f"?after={after + limit}"}}
    return json_response(body)


def email_events(ctx: Ctx) -> Any:
    """GET /email/public/v1/events: ``created`` in [startTimestamp, endTimestamp], newest first."""
    limit = ctx.int_param("limit", 100, low=1, high=1000)
    start = ctx.int_param("startTimestamp", None)
    end = ctx.int_param("endTimestamp", None)
    offset = _cursor(ctx, "offset")
    event_type, recipient = ctx.str_param("eventType"), ctx.str_param("recipient")
    campaign = ctx.int_param("campaignId", None)
    with ctx.state.lock:
        window = email_events_view(ctx.state).window(start, end, inclusive=True)
    rows = [e for _, e in reversed(window)
            if (event_type is None or e["type"] == event_type)
            and (recipient is None or e["recipient"].lower() == recipient.lower())
            and (campaign is None or e.get("emailCampaignId") == campaign)]
    page = rows[offset:offset + limit]
    more = offset + limit < len(rows)
    return json_response({"events": page, "hasMore": more,
                          "offset": str(offset + len(page))})


def _links(ctx: Ctx, from_type: str, from_id: str, to_type: str) -> list[dict] | None:
    """Associated ids with their types, or ``None`` when the source object does not exist."""
    state = ctx.state
    if from_type == "contacts" and to_type in TYPE_IDS:
        record = state.resolve(from_id)
        if record is None:
            return None
        ids, type_id = state.contact_assoc.get(record.id, {}).get(to_type, []), TYPE_IDS[to_type][0]
    elif to_type == "contacts" and from_type in TYPE_IDS:
        if from_id not in state.stores[from_type].records:
            return None
        ids, type_id = state.assoc[from_type].get(from_id, []), TYPE_IDS[from_type][1]
    else:
        raise ApiError.validation(f"Associations between {from_type} and {to_type} are not "
                                  "emulated; use contacts and an engagement type", field="toObjectType")
    return [{"toObjectId": i, "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": type_id}]}
            for i in ids]


def _type(raw: str, field: str) -> str:
    if raw not in _TYPES:
        raise ApiError.validation(f"{field}: unknown object type {raw!r}", field=field)
    return _TYPES[raw]


def associations(ctx: Ctx, object_type: str, object_id: str, to_object_type: str) -> Any:
    """GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}."""
    limit = ctx.int_param("limit", 500, low=1, high=500)
    after = _cursor(ctx, "after")
    with ctx.state.lock:
        links = _links(ctx, _type(object_type, "objectType"), object_id,
                       _type(to_object_type, "toObjectType"))
    if links is None:
        raise ApiError.not_found(f"Object {object_id} of type {object_type} was not found")
    body: dict[str, Any] = {"results": links[after:after + limit]}
    if after + limit < len(links):
        body["paging"] = {"next": {"after": str(after + limit), "link": f"?after={after + limit}"}}
    return json_response(body)


def batch_associations(ctx: Ctx, from_type: str, to_type: str) -> Any:
    """POST /crm/v4/associations/{from}/{to}/batch/read; ids with none come back as errors."""
    inputs = ctx.inputs(ctx.body(), max_inputs=1000)
    source, target = _type(from_type, "fromObjectType"), _type(to_type, "toObjectType")
    started = iso(ctx.state.now())
    results, errors = [], []
    with ctx.state.lock:
        for item in inputs:
            ref = str(item.get("id", ""))
            links = _links(ctx, source, ref, target)
            if links:
                results.append({"from": {"id": ref}, "to": links})
            else:
                errors.append(standard_error(
                    "OBJECT_NOT_FOUND", f"No {target} is associated with {source} {ref}.",
                    [ref], key="fromObjectId"))
    body: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": started,
                            "completedAt": started}
    if errors:
        body.update(errors=errors, numErrors=len(errors))
    return json_response(body, 207 if errors else 200)
