"""Write endpoints of contacts: create, update and upsert, singly and in batches."""

from __future__ import annotations

from typing import Any

from .contacts import WriteError
from .crm_read import batch_body, lookup, props_for
from .errors import ApiError
from .http import Ctx, json_response
from .records import Record, render
from .timeutil import iso

__all__ = ["create", "update", "batch_create", "batch_update", "batch_upsert"]


def _as_api_error(exc: WriteError) -> ApiError:
    return ApiError.of(exc.status, exc.entry["category"], exc.entry["message"])


def _live(ctx: Ctx, ref: str, id_property: str | None) -> Record:
    record = lookup(ctx, "contacts", ref, id_property)
    if record is None or record.archived:
        raise WriteError("OBJECT_NOT_FOUND", f"Object {ref} was not found", [ref], status=404)
    return record


def _update(ctx: Ctx, record: Record, props: Any, at: Any, before: dict[str, str | None]) -> dict:
    """Apply one update; ``before`` holds each record's stage at the start of the request,
    because HubSpot checks the forward-only rule against the stored value, not batch order."""
    rules = ctx.state.rules
    clean = rules.clean(props, record.id)
    rules.check_email(clean, record.id)
    stage = before.setdefault(record.id, record.properties.get("lifecyclestage"))
    if rules.apply(record, clean, at, stage_before=stage):
        ctx.state.changed()
    return render(record, props_for("contacts", list(clean)))


def _create(ctx: Ctx, props: Any, at: Any, ref: str = "new") -> Record:
    clean = ctx.state.rules.clean(props, ref)
    ctx.state.rules.check_email(clean, None)
    return ctx.state.create_contact(clean, at)


def create(ctx: Ctx) -> Any:
    """POST /crm/v3/objects/contacts."""
    body = ctx.body()
    with ctx.state.lock:
        try:
            record = _create(ctx, body.get("properties") if isinstance(body, dict) else None,
                             ctx.state.now())
        except WriteError as exc:
            raise _as_api_error(exc) from None
        return json_response(render(record, props_for("contacts", list(record.properties))), 201)


def update(ctx: Ctx, contact_id: str) -> Any:
    """PATCH /crm/v3/objects/contacts/{contactId}."""
    body = ctx.body()
    with ctx.state.lock:
        try:
            record = _live(ctx, contact_id, ctx.str_param("idProperty"))
            out = _update(ctx, record, body.get("properties") if isinstance(body, dict) else None,
                          ctx.state.now(), {})
        except WriteError as exc:
            raise _as_api_error(exc) from None
        return json_response(out)


def _batch(ctx: Ctx, apply_one, ok: int = 200) -> Any:
    body = ctx.body()
    inputs = ctx.inputs(body)
    refs = [str(i.get("id")) for i in inputs if i.get("id") is not None]
    dupes = sorted({r for r in refs if refs.count(r) > 1})
    if dupes:
        raise ApiError.validation(f"inputs: duplicate ids in one batch: {', '.join(dupes)}",
                                  field="inputs")
    at = ctx.state.now()
    results, errors, before = [], [], {}
    with ctx.state.lock:
        for item in inputs:
            try:
                results.append(apply_one(item, at, before))
            except WriteError as exc:
                errors.append(exc.entry)
    return batch_body(results, errors, iso(at), ok)


def batch_create(ctx: Ctx) -> Any:
    """POST /crm/v3/objects/contacts/batch/create (201, or 207 with per-record errors)."""
    def one(item: dict, at: Any, before: dict) -> dict:
        record = _create(ctx, item.get("properties"), at)
        return render(record, props_for("contacts", list(item.get("properties") or {})))
    return _batch(ctx, one, ok=201)


def batch_update(ctx: Ctx) -> Any:
    """POST /crm/v3/objects/contacts/batch/update."""
    def one(item: dict, at: Any, before: dict) -> dict:
        record = _live(ctx, str(item.get("id", "")), item.get("idProperty"))
        return _update(ctx, record, item.get("properties"), at, before)
    return _batch(ctx, one)


def batch_upsert(ctx: Ctx) -> Any:
    """POST /crm/v3/objects/contacts/batch/upsert: update by id/email, else create."""
    def one(item: dict, at: Any, before: dict) -> dict:
        ref, id_property = str(item.get("id", "")), item.get("idProperty")
        record = lookup(ctx, "contacts", ref, id_property)
        if record is not None and not record.archived:
            out = _update(ctx, record, item.get("properties"), at, before)
            if id_property:  # the matched unique property is echoed back, as HubSpot does
                out["properties"].setdefault(id_property, record.properties.get(id_property))
            return dict(out, new=False)
        if id_property != "email":
            raise WriteError("OBJECT_NOT_FOUND", f"Object {ref} was not found; to create by "
                             "upsert, use idProperty=email", [ref], status=404)
        props = dict(item.get("properties") or {}, email=ref)
        record = _create(ctx, props, at, ref)
        return dict(render(record, props_for("contacts", list(props))), new=True)
    return _batch(ctx, one)
