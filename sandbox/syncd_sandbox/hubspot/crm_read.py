"""Read endpoints of CRM objects: list, get and batch read."""

from __future__ import annotations

from typing import Any

from .errors import ApiError, standard_error
from .http import Ctx, json_response
from .records import Record, render
from .timeutil import iso

__all__ = ["list_objects", "get_object", "batch_read", "props_for", "batch_body",
           "defined_props", "lookup", "input_id"]

DEFAULT_PROPS = {"contacts": ["createdate", "email", "firstname", "hs_object_id",
                              "lastmodifieddate", "lastname"]}
ALWAYS = {"contacts": ["createdate", "hs_object_id", "lastmodifieddate"]}
ENGAGEMENT_DEFAULT = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
ASSOC_TYPE = {"emails": "email", "calls": "call", "meetings": "meeting_event",
              "notes": "note", "tasks": "task"}


def props_for(object_type: str, requested: list[str] | None) -> list[str]:
    """Properties to render: the defaults, or those requested plus the always-present ones."""
    if not requested:
        return DEFAULT_PROPS.get(object_type, ENGAGEMENT_DEFAULT)
    always = ALWAYS.get(object_type, ENGAGEMENT_DEFAULT)
    return list(dict.fromkeys([*requested, *always]))


def defined_props(ctx: Ctx, object_type: str) -> dict | None:
    """Property definitions of ``object_type`` (contacts only; others accept any name)."""
    return ctx.state.contact_defs if object_type == "contacts" else None


def batch_body(results: list[dict], errors: list[dict], started: str, ok: int = 200) -> Any:
    """A BatchResponse; status 207 with ``errors``/``numErrors`` when some inputs failed."""
    body: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": started,
                            "completedAt": started}
    if errors:
        body.update(errors=errors, numErrors=len(errors))
        return json_response(body, 207)
    return json_response(body, ok)


def _associations(ctx: Ctx, object_type: str, record: Record, wanted: list[str] | None) -> dict:
    out = {}
    for to_type in wanted or []:
        if object_type == "contacts" and to_type in ASSOC_TYPE:
            ids = ctx.state.contact_assoc.get(record.id, {}).get(to_type, [])
            label = f"contact_to_{ASSOC_TYPE[to_type]}"
        elif to_type == "contacts" and object_type in ASSOC_TYPE:
            ids = ctx.state.assoc[object_type].get(record.id, [])
            label = f"{ASSOC_TYPE[object_type]}_to_contact"
        else:
            continue
        if ids:
            out[to_type] = {"results": [{"id": i, "type": label} for i in ids]}
    return out


def _render(ctx: Ctx, object_type: str, record: Record) -> dict:
    out = render(record, props_for(object_type, ctx.list_param("properties")),
                 ctx.list_param("propertiesWithHistory"), defined_props(ctx, object_type))
    assoc = _associations(ctx, object_type, record, ctx.list_param("associations"))
    if assoc:
        out["associations"] = assoc
    return out


def list_objects(ctx: Ctx, object_type: str) -> Any:
    """GET /crm/v3/objects/{type}: id-ordered pages of at most 100."""
    limit = ctx.int_param("limit", 10, low=1, high=100)
    archived = ctx.bool_param("archived")
    with ctx.state.lock:
        page, nxt = ctx.state.stores[object_type].page(ctx.str_param("after"), limit, archived)
        body: dict[str, Any] = {"results": [_render(ctx, object_type, r) for r in page]}
    if nxt is not None:
        body["paging"] = {"next": {"after": nxt, "link": f"?after={nxt}"}}
    return json_response(body)


def lookup(ctx: Ctx, object_type: str, key: str, id_property: str | None) -> Record | None:
    """A record by id (following merges) or by a unique property (contacts: email)."""
    state = ctx.state
    if object_type == "contacts":
        if id_property == "email":
            key = state.rules.email_index.get(key.lower(), "")
        elif id_property not in (None, "hs_object_id"):
            raise ApiError.validation(f"idProperty: {id_property!r} is not a unique property; "
                                      "use email or hs_object_id", field="idProperty")
        return state.resolve(key)
    return state.stores[object_type].records.get(key)


def get_object(ctx: Ctx, object_type: str, object_id: str) -> Any:
    """GET /crm/v3/objects/{type}/{id}."""
    archived = ctx.bool_param("archived")
    with ctx.state.lock:
        record = lookup(ctx, object_type, object_id, ctx.str_param("idProperty"))
        if record is None or record.archived != archived:
            raise ApiError.not_found(f"Object {object_id} of type {object_type} was not found")
        return json_response(_render(ctx, object_type, record))


def input_id(item: dict, index: int) -> str:
    """The ``id`` of one batch input: a string (or a number, as the SDK may send), else 400."""
    ref = item.get("id")
    if isinstance(ref, bool) or not isinstance(ref, str | int):
        raise ApiError.validation(f"inputs[{index}].id: must be a string", field="inputs")
    return str(ref)


def batch_read(ctx: Ctx, object_type: str) -> Any:
    """POST /crm/v3/objects/{type}/batch/read; unknown ids come back as a 207 error."""
    body = ctx.body()
    inputs = ctx.inputs(body)
    props = props_for(object_type, ctx.names(body, "properties"))
    history = ctx.names(body, "propertiesWithHistory") or None
    id_property = ctx.text(body, "idProperty")
    refs = [input_id(item, i) for i, item in enumerate(inputs)]
    started = iso(ctx.state.now())
    results, missing = [], []
    with ctx.state.lock:
        for ref in refs:
            record = lookup(ctx, object_type, ref, id_property)
            if record is None or record.archived:
                missing.append(ref)
            else:
                results.append(render(record, props, history, defined_props(ctx, object_type)))
    errors = [standard_error("OBJECT_NOT_FOUND", f"Could not get some {object_type} objects, "
                             "they may be deleted or not exist. Check that ids are valid.",
                             missing)] if missing else []
    return batch_body(results, errors, started)
