"""sObject Collections addressed by ids: retrieve and delete up to 200 records."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .errors import ApiError, RowError
from .composite import results
from .http import Ctx, json_response, render, schema_of
from .writes import Outcome, delete

__all__ = ["ROUTES"]


def _ids(ctx: Ctx) -> list[str]:
    ids = [i.strip() for i in ctx.request.args.get("ids", "").split(",") if i.strip()]
    if not ids:
        raise ApiError.of(400, "MISSING_ARGUMENT", "ids parameter is required", ("ids",))
    if len(ids) > 200:
        raise ApiError.of(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more "
                          "than 200 records into this call")
    ctx.served(len(ids))
    return ids


def retrieve_many(ctx: Ctx, v: str, object: str) -> Response:
    """``GET .../composite/sobjects/{object}?ids=…&fields=…``: records in order, null if gone."""
    schema = schema_of(ctx, object)
    ids = _ids(ctx)
    wanted = [f.strip() for f in ctx.request.args.get("fields", "").split(",") if f.strip()]
    if not wanted:
        raise ApiError.of(400, "MISSING_ARGUMENT", "fields parameter is required", ("fields",))
    names = []
    for name in wanted:
        found = schema.field(name)
        if found is None:
            raise ApiError.of(400, "INVALID_FIELD", f"No such column '{name}' on sobject of "
                              f"type {schema.name}")
        names.append(found.name)
    out = []
    with ctx.state.lock:
        for ident in ids:
            record = ctx.state.store.get(schema.name, ident)
            live = record is not None and not record.get("IsDeleted")
            out.append(render(v, schema.name, record, names) if live else None)
    return json_response(out)


def delete_many(ctx: Ctx, v: str) -> Response:
    """``DELETE .../composite/sobjects?ids=…[&allOrNone=true]``."""
    ids = _ids(ctx)
    all_or_none = ctx.request.args.get("allOrNone", "false").lower() == "true"
    state = ctx.state
    with state.lock:
        wctx = ctx.api_context()
        outcomes = []
        for ident in ids:
            found = state.store.lookup(ident)
            if found is None:
                outcomes.append(Outcome(errors=[RowError(
                    code="INVALID_CROSS_REFERENCE_KEY", message="invalid cross reference id")]))
            else:
                outcomes.append(delete(wctx, found[0], ident))
        failed = any(not o.ok for o in outcomes)
        if all_or_none and failed:
            state.store.undo(wctx.undo)
    return json_response(results(outcomes, all_or_none, upserting=False))


ROUTES = [
    ("GET", "/services/data/{v}/composite/sobjects/{object}", retrieve_many),
    ("DELETE", "/services/data/{v}/composite/sobjects", delete_many),
]
