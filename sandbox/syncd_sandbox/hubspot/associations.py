"""Associations v4 between contacts and engagements, both directions."""

from __future__ import annotations

from typing import Any

from .errors import ApiError, standard_error
from .feeds import OBJECT_TYPES
from .http import Ctx, json_response
from .timeutil import iso

__all__ = ["associations", "batch_associations"]

# HubSpot-defined association type ids: (contact -> engagement, engagement -> contact).
TYPE_IDS = {"emails": (197, 198), "calls": (193, 194), "meetings": (199, 200),
            "notes": (201, 202), "tasks": (203, 204)}


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
    if raw not in OBJECT_TYPES:
        raise ApiError.validation(f"{field}: unknown object type {raw!r}", field=field)
    return OBJECT_TYPES[raw]


def associations(ctx: Ctx, object_type: str, object_id: str, to_object_type: str) -> Any:
    """GET /crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}."""
    limit = ctx.int_param("limit", 500, low=1, high=500)
    after = ctx.cursor("after")
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
