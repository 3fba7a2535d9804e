"""sObject rows by external id: upsert, retrieve and delete (``/{Object}/{Field}/{value}``)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .errors import ApiError
from .http import Ctx, body_of, json_response, raise_errors, render, schema_of
from .schema import FieldDef, ObjectSchema
from .writes import delete, upsert

__all__ = ["ROUTES"]


def _external_field(schema: ObjectSchema, field: str) -> FieldDef:
    fld = schema.field(field)
    if fld is None or not (fld.external_id or fld.type == "id"):
        raise ApiError.of(404, "NOT_FOUND", "Provided external ID field does not exist or is "
                          f"not accessible: {field}")
    return fld


def _several(v: str, obj: str, ids: list[str]) -> Response:
    # Salesforce answers 300 Multiple Choices with the URLs of every matching record.
    return json_response([f"/services/data/{v}/sobjects/{obj}/{i}" for i in ids], 300)


def _matches(ctx: Ctx, schema: ObjectSchema, fld: FieldDef, value: str) -> list[str]:
    if fld.type == "id":
        found = ctx.state.store.get(schema.name, value)
        return [found["Id"]] if found and not found.get("IsDeleted") else []
    return ctx.state.store.by_external_id(schema.name, fld.name, value)


def upsert_record(ctx: Ctx, v: str, object: str, field: str, value: str) -> Response:
    """``PATCH /services/data/{v}/sobjects/{object}/{field}/{value}``.

    201 with a body when created; when updated, 200 with ``created: false`` from API 46.0
    on (204 before); 300 with the matching record URLs when several records match.
    """
    schema, body = schema_of(ctx, object), body_of(ctx)
    fld = _external_field(schema, field)
    ctx.served(1)
    given = next((val for key, val in body.items() if key.lower() == fld.name.lower()), value)
    if str(given) != value:
        raise ApiError.of(400, "INVALID_FIELD", f"The value of {fld.name} in the request body "
                          "does not match the one in the URL", (fld.name,))
    with ctx.state.lock:
        outcome = upsert(ctx.api_context(), schema.name, fld.name, value, body)
    if outcome.matches:
        return _several(v, schema.name, outcome.matches)
    raise_errors(outcome)
    result = {"id": outcome.id, "success": True, "errors": [], "created": outcome.created}
    if outcome.created:
        return json_response(result, 201)
    if float(v[1:]) < 46.0:
        return Response(status=204)
    return json_response(result, 200)


def _lookup(ctx: Ctx, v: str, object: str, field: str, value: str):
    """(schema, the one matching id or None, a 300 response when several match); the
    caller holds ``ctx.state.lock``."""
    schema = schema_of(ctx, object)
    fld = _external_field(schema, field)
    ids = _matches(ctx, schema, fld, value)
    if len(ids) > 1:
        return schema, None, _several(v, schema.name, ids)
    return schema, (ids[0] if ids else None), None


def get_by_external_id(ctx: Ctx, v: str, object: str, field: str, value: str) -> Response:
    """``GET /services/data/{v}/sobjects/{object}/{field}/{value}``."""
    ctx.served(1)
    with ctx.state.lock:
        schema, found, several = _lookup(ctx, v, object, field, value)
        if several is not None:
            return several
        record = dict(ctx.state.store.get(schema.name, found)) if found else None
    if record is None:
        raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
    return json_response(render(v, schema.name, record, list(schema.fields)))


def delete_by_external_id(ctx: Ctx, v: str, object: str, field: str, value: str) -> Response:
    """``DELETE /services/data/{v}/sobjects/{object}/{field}/{value}``."""
    ctx.served(1)
    with ctx.state.lock:
        schema, found, several = _lookup(ctx, v, object, field, value)
        if several is not None:
            return several
        if found is None:
            raise ApiError.of(404, "NOT_FOUND", "The requested resource does not exist")
        raise_errors(delete(ctx.api_context(), schema.name, found))
    return Response(status=204)


ROUTES = [
    ("PATCH", "/services/data/{v}/sobjects/{object}/{field}/{value}", upsert_record),
    ("GET", "/services/data/{v}/sobjects/{object}/{field}/{value}", get_by_external_id),
    ("DELETE", "/services/data/{v}/sobjects/{object}/{field}/{value}", delete_by_external_id),
]
