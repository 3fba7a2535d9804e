"""sObject Collections: create, update and upsert up to 200 records per request."""

from __future__ import annotations

from collections import Counter

from werkzeug.wrappers import Response

from .errors import ApiError, RowError
from .schema_data import READ_ONLY_OBJECTS
from .http import Ctx, json_response, read_json
from .writes import Outcome, WriteContext, create, update, upsert

__all__ = ["ROUTES"]

_MAX_RECORDS = 200
_ROLLED_BACK = RowError(code="ALL_OR_NONE_OPERATION_ROLLED_BACK",
                        message="Record rolled back because not all records were valid and "
                                "the request was using AllOrNone header")


def _request(ctx: Ctx) -> tuple[bool, list]:
    body = read_json(ctx.request)
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ApiError.of(400, "JSON_PARSER_ERROR",
                          "The request body must be an object with a 'records' array of "
                          "sObjects")
    if len(records) > _MAX_RECORDS:
        raise ApiError.of(400, "EXCEEDED_ID_LIMIT",
                          "record limit reached. cannot submit more than 200 records into "
                          "this call")
    ctx.served(len(records))
    return bool(body.get("allOrNone", False)), records


def _type_of(ctx: Ctx, record: dict, expected: str | None) -> str | RowError:
    attributes = record.get("attributes")
    kind = attributes.get("type") if isinstance(attributes, dict) else None
    if not kind or not isinstance(kind, str):
        return RowError(code="INVALID_TYPE", message="Must send a concrete entity type.")
    if kind not in ctx.state.schemas or kind in READ_ONLY_OBJECTS:
        return RowError(code="INVALID_TYPE", message=f"sObject type '{kind}' is not supported.")
    if expected and kind != expected:
        return RowError(code="INVALID_TYPE", message=f"The sObject type '{kind}' doesn't match "
                        f"the type '{expected}' in the URL")
    return kind


def results(outcomes: list[Outcome], all_or_none: bool, upserting: bool) -> list[dict]:
    """Per-record results in request order; with allOrNone one failure fails them all."""
    failed = any(not o.ok for o in outcomes)
    out = []
    for o in outcomes:
        rolled_back = all_or_none and failed and o.ok
        errors = [_ROLLED_BACK] if rolled_back else o.errors
        item = {"id": o.id if not errors and not (all_or_none and failed) else None,
                "success": not errors, "errors": [e.collection() for e in errors]}
        if upserting:
            item["created"] = o.created and not errors
        out.append(item)
    return out


def _apply(ctx: Ctx, write, all_or_none: bool, upserting: bool = False) -> Response:
    state = ctx.state
    with state.lock:
        wctx: WriteContext = ctx.api_context()
        outcomes = write(wctx)
        if all_or_none and any(not o.ok for o in outcomes):
            state.store.undo(wctx.undo)
        return json_response(results(outcomes, all_or_none, upserting))


def create_many(ctx: Ctx, v: str) -> Response:
    """``POST /services/data/{v}/composite/sobjects``."""
    all_or_none, records = _request(ctx)

    def write(wctx: WriteContext) -> list[Outcome]:
        out = []
        for rec in records:
            kind = _type_of(ctx, rec, None)
            bad = kind if isinstance(kind, RowError) else (
                RowError(code="INVALID_FIELD", message="cannot specify Id in an insert call",
                         fields=("Id",)) if rec.get("Id") else None)
            out.append(Outcome(errors=[bad]) if bad else create(wctx, kind, rec))
        return out
    return _apply(ctx, write, all_or_none)


def update_many(ctx: Ctx, v: str) -> Response:
    """``PATCH /services/data/{v}/composite/sobjects`` (each record carries its Id)."""
    all_or_none, records = _request(ctx)

    def write(wctx: WriteContext) -> list[Outcome]:
        out = []
        for rec in records:
            kind = _type_of(ctx, rec, None)
            if isinstance(kind, RowError):
                out.append(Outcome(errors=[kind]))
            elif not rec.get("Id"):
                out.append(Outcome(errors=[RowError(code="MISSING_ARGUMENT",
                                                    message="Id not specified in an update call",
                                                    fields=("Id",))]))
            else:
                out.append(update(wctx, kind, rec["Id"], rec))
        return out
    return _apply(ctx, write, all_or_none)


def upsert_many(ctx: Ctx, v: str, object: str, field: str) -> Response:
    """``PATCH /services/data/{v}/composite/sobjects/{object}/{field}``."""
    schema = ctx.state.schemas.get(object)
    fld = schema.field(field) if schema else None
    if fld is None or not fld.external_id:
        raise ApiError.of(400, "INVALID_FIELD", f"Field name provided, {field} is not an "
                          f"External ID or indexed field for {object}")
    all_or_none, records = _request(ctx)
    values = [str(r.get(fld.name, "")).lower() for r in records]
    counts = Counter(values)

    def write(wctx: WriteContext) -> list[Outcome]:
        out = []
        for rec, key in zip(records, values):
            kind = _type_of(ctx, rec, schema.name)
            if isinstance(kind, RowError):
                out.append(Outcome(errors=[kind]))
            elif key and counts[key] > 1:
                out.append(Outcome(errors=[RowError(
                    code="DUPLICATE_EXTERNAL_ID", fields=(fld.name,),
                    message=f"Duplicate external id specified: {rec.get(fld.name)}")]))
            else:
                out.append(upsert(wctx, kind, fld.name, rec.get(fld.name), rec))
        return out
    return _apply(ctx, write, all_or_none, upserting=True)


ROUTES = [
    ("POST", "/services/data/{v}/composite/sobjects", create_many),
    ("PATCH", "/services/data/{v}/composite/sobjects", update_many),
    ("PATCH", "/services/data/{v}/composite/sobjects/{object}/{field}", upsert_many),
]
