"""sObject resources: describe, record CRUD, upsert by external id, limits, versions."""

from __future__ import annotations

from werkzeug.wrappers import Response

from . import external, query
from .errors import ApiError
from .http import Ctx, body_of, json_response, raise_errors, render, schema_of
from .ids import normalize_id
from .schema import ObjectSchema
from .writes import create, delete, update

__all__ = ["ROUTES"]


def versions(ctx: Ctx) -> Response:
    """``GET /services/data``: the API versions this org serves."""
    return json_response([{"label": f"v{n}", "url": f"/services/data/v{n}.0",
                           "version": f"{n}.0"} for n in range(40, 63)])


def limits(ctx: Ctx, v: str) -> Response:
    """``GET /services/data/{v}/limits``."""
    limit = ctx.settings.daily_api_limit
    used = ctx.state.api_calls_today
    return json_response({
        "DailyApiRequests": {"Max": limit, "Remaining": max(0, limit - used)},
        "DailyBulkV2QueryJobs": {"Max": 10000,
                                 "Remaining": 10000 - ctx.state.query_job_count},
        "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000 - len(ctx.state.jobs)},
        "DataStorageMB": {"Max": 1024, "Remaining": 1000},
    })


def sobjects(ctx: Ctx, v: str) -> Response:
    """``GET /services/data/{v}/sobjects``."""
    return json_response({"encoding": "UTF-8", "maxBatchSize": 200,
                          "sobjects": [s.summary(v) for s in ctx.state.schemas.values()]})


def describe(ctx: Ctx, v: str, object: str) -> Response:
    """``GET /services/data/{v}/sobjects/{object}/describe``."""
    return json_response(schema_of(ctx, object).describe(v))


def create_record(ctx: Ctx, v: str, object: str) -> Response:
    """``POST /services/data/{v}/sobjects/{object}``: 201 {id, success, errors}."""
    schema, body = schema_of(ctx, object), body_of(ctx)
    ctx.served(1)
    with ctx.state.lock:
        outcome = create(ctx.api_context(), schema.name, body)
    raise_errors(outcome)
    return json_response({"id": outcome.id, "success": True, "errors": []}, 201,
                         headers={"Location": f"/services/data/{v}/sobjects/{schema.name}/{outcome.id}"})


def get_record(ctx: Ctx, v: str, object: str, id: str) -> Response:
    """``GET /services/data/{v}/sobjects/{object}/{id}[?fields=a,b]``."""
    schema = schema_of(ctx, object)
    ctx.served(1)
    with ctx.state.lock:
        record = ctx.state.store.get(schema.name, id)
        record = dict(record) if record else None
    if record is None:
        raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
    if record.get("IsDeleted"):
        raise ApiError.of(404, "ENTITY_IS_DELETED", "entity is deleted")
    wanted = [f for f in ctx.request.args.get("fields", "").split(",") if f.strip()]
    names = []
    for name in wanted or list(schema.fields):
        found = schema.field(name.strip())
        if found is None:
            raise ApiError.of(400, "INVALID_FIELD", f"No such column '{name.strip()}' on "
                              f"sobject of type {schema.name}")
        names.append(found.name)
    return json_response(render(v, schema.name, record, names))


def update_record(ctx: Ctx, v: str, object: str, id: str) -> Response:
    """``PATCH /services/data/{v}/sobjects/{object}/{id}``: 204."""
    schema, body = schema_of(ctx, object), body_of(ctx)
    ctx.served(1)
    with ctx.state.lock:
        outcome = _existing(ctx, schema, id) or update(ctx.api_context(), schema.name, id, body)
    raise_errors(outcome)
    return Response(status=204)


def delete_record(ctx: Ctx, v: str, object: str, id: str) -> Response:
    """``DELETE /services/data/{v}/sobjects/{object}/{id}``: 204."""
    schema = schema_of(ctx, object)
    ctx.served(1)
    with ctx.state.lock:
        outcome = _existing(ctx, schema, id) or delete(ctx.api_context(), schema.name, id)
    raise_errors(outcome)
    return Response(status=204)


def _existing(ctx: Ctx, schema: ObjectSchema, ident: str) -> None:
    record = ctx.state.store.get(schema.name, normalize_id(ident))
    if record is None:
        raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
    if record.get("IsDeleted"):
        raise ApiError.of(404, "ENTITY_IS_DELETED", "entity is deleted")
    return None


ROUTES = [
    ("GET", "/services/data", versions),
    ("GET", "/services/data/{v}/limits", limits),
    ("GET", "/services/data/{v}/sobjects", sobjects),
    ("GET", "/services/data/{v}/sobjects/{object}/describe", describe),
    ("POST", "/services/data/{v}/sobjects/{object}", create_record),
    ("GET", "/services/data/{v}/sobjects/{object}/{id}", get_record),
    ("PATCH", "/services/data/{v}/sobjects/{object}/{id}", update_record),
    ("DELETE", "/services/data/{v}/sobjects/{object}/{id}", delete_record),
    *query.ROUTES,
    *external.ROUTES,
]
