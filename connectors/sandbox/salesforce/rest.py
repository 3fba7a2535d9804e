"""sObject resources: describe, record CRUD, upsert by external id, limits, versions."""

from __future__ import annotations

from werkzeug.wrappers import Response

from . import query
from .errors import ApiError
from .http import Ctx, json_response, read_json
from .ids import normalize_id
from .schema import ObjectSchema
from .writes import Outcome, create, delete, update, upsert

__all__ = ["ROUTES"]


def _schema(ctx: Ctx, name: str) -> ObjectSchema:
    schema = ctx.state.schemas.get(name) or next(
        (s for n, s in ctx.state.schemas.items() if n.lower() == name.lower()), None)
    if schema is None:
        raise ApiError.of(404, "NOT_FOUND", f"The requested resource does not exist")
    return schema


def _body(ctx: Ctx) -> dict:
    body = read_json(ctx.request)
    if not isinstance(body, dict):
        raise ApiError.of(400, "JSON_PARSER_ERROR",
                          "Cannot deserialize instance of sObject from the request body: "
                          "expected a JSON object")
    return body


def _raise(outcome: Outcome) -> None:
    if outcome.errors:
        raise ApiError(status=400, errors=outcome.errors)


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
        "DailyBulkV2QueryJobs": {"Max": 10000, "Remaining": 10000},
        "DailyBulkApiBatches": {"Max": 15000, "Remaining": 15000 - len(ctx.state.jobs)},
        "DataStorageMB": {"Max": 1024, "Remaining": 1000},
    })


def sobjects(ctx: Ctx, v: str) -> Response:
    """``GET /services/data/{v}/sobjects``."""
    return json_response({"encoding": "UTF-8", "maxBatchSize": 200,
                          "sobjects": [s.summary(v) for s in ctx.state.schemas.values()]})


def describe(ctx: Ctx, v: str, object: str) -> Response:
    """``GET /services/data/{v}/sobjects/{object}/describe``."""
    return json_response(_schema(ctx, object).describe(v))


def create_record(ctx: Ctx, v: str, object: str) -> Response:
    """``POST /services/data/{v}/sobjects/{object}``: 201 {id, success, errors}."""
    schema, body = _schema(ctx, object), _body(ctx)
    with ctx.state.lock:
        outcome = create(ctx.api_context(), schema.name, body)
    _raise(outcome)
    return json_response({"id": outcome.id, "success": True, "errors": []}, 201)


def get_record(ctx: Ctx, v: str, object: str, id: str) -> Response:
    """``GET /services/data/{v}/sobjects/{object}/{id}[?fields=a,b]``."""
    schema = _schema(ctx, object)
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
    out = {"attributes": {"type": schema.name,
                          "url": f"/services/data/{v}/sobjects/{schema.name}/{record['Id']}"}}
    out.update({n: record.get(n) for n in names})
    return json_response(out)


def update_record(ctx: Ctx, v: str, object: str, id: str) -> Response:
    """``PATCH /services/data/{v}/sobjects/{object}/{id}``: 204."""
    schema, body = _schema(ctx, object), _body(ctx)
    with ctx.state.lock:
        outcome = _existing(ctx, schema, id) or update(ctx.api_context(), schema.name, id, body)
    _raise(outcome)
    return Response(status=204)


def delete_record(ctx: Ctx, v: str, object: str, id: str) -> Response:
    """``DELETE /services/data/{v}/sobjects/{object}/{id}``: 204."""
    schema = _schema(ctx, object)
    with ctx.state.lock:
        outcome = _existing(ctx, schema, id) or delete(ctx.api_context(), schema.name, id)
    _raise(outcome)
    return Response(status=204)


def _existing(ctx: Ctx, schema: ObjectSchema, ident: str) -> None:
    record = ctx.state.store.get(schema.name, normalize_id(ident))
    if record is None:
        raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
    if record.get("IsDeleted"):
        raise ApiError.of(404, "ENTITY_IS_DELETED", "entity is deleted")
    return None


def upsert_record(ctx: Ctx, v: str, object: str, field: str, value: str) -> Response:
    """``PATCH /services/data/{v}/sobjects/{object}/{field}/{value}``.

    201 with a body when created; when updated, 200 with ``created: false`` from API 46.0
    on (204 before); 300 with the matching record URLs when several records match.
    """
    schema, body = _schema(ctx, object), _body(ctx)
    fld = schema.field(field)
    if fld is None or not (fld.external_id or fld.type == "id"):
        raise ApiError.of(404, "NOT_FOUND", "Provided external ID field does not exist or is "
                          f"not accessible: {field}")
    given = next((val for key, val in body.items() if key.lower() == fld.name.lower()), value)
    if str(given) != value:
        raise ApiError.of(400, "INVALID_FIELD", f"The value of {fld.name} in the request body "
                          "does not match the one in the URL", (fld.name,))
    with ctx.state.lock:
        outcome = upsert(ctx.api_context(), schema.name, fld.name, value, body)
    if outcome.matches:
        return json_response([f"/services/data/{v}/sobjects/{schema.name}/{i}"
                              for i in outcome.matches], 300)
    _raise(outcome)
    result = {"id": outcome.id, "success": True, "errors": [], "created": outcome.created}
    if outcome.created:
        return json_response(result, 201)
    if float(v[1:]) < 46.0:
        return Response(status=204)
    return json_response(result, 200)


ROUTES = [
    ("GET", "/services/data", versions),
    ("GET", "/services/data/{v}/limits", limits),
    ("GET", "/services/data/{v}/sobjects", sobjects),
    ("GET", "/services/data/{v}/sobjects/{object}/describe", describe),
    ("POST", "/services/data/{v}/sobjects/{object}", create_record),
    ("GET", "/services/data/{v}/sobjects/{object}/{id}", get_record),
    ("PATCH", "/services/data/{v}/sobjects/{object}/{id}", update_record),
    ("DELETE", "/services/data/{v}/sobjects/{object}/{id}", delete_record),
    ("PATCH", "/services/data/{v}/sobjects/{object}/{field}/{value}", upsert_record),
    *query.ROUTES,
]
