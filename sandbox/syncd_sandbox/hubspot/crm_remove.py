"""Endpoints that take contacts away: archive, merge and GDPR delete."""

from __future__ import annotations

from typing import Any

from .crm_read import lookup, props_for
from .errors import ApiError
from .http import Ctx, json_response
from .records import render

__all__ = ["archive", "batch_archive", "merge", "gdpr_delete"]


def archive(ctx: Ctx, contact_id: str) -> Any:
    """DELETE /crm/v3/objects/contacts/{contactId} (archives; 204 even when already gone)."""
    with ctx.state.lock:
        record = ctx.state.resolve(contact_id)
        if record is not None and not record.archived:
            ctx.state.archive_contact(record.id)
    return json_response(None, 204)


def batch_archive(ctx: Ctx) -> Any:
    """POST /crm/v3/objects/contacts/batch/archive (204; unknown ids are ignored, as HubSpot)."""
    inputs = ctx.inputs(ctx.body())
    with ctx.state.lock:
        for item in inputs:
            record = ctx.state.resolve(str(item.get("id", "")))
            if record is not None and not record.archived:
                ctx.state.archive_contact(record.id)
    return json_response(None, 204)


def merge(ctx: Ctx) -> Any:
    """POST /crm/v3/objects/contacts/merge."""
    body = ctx.body()
    if not isinstance(body, dict) or not body.get("primaryObjectId") or not body.get("objectIdToMerge"):
        raise ApiError.validation("primaryObjectId and objectIdToMerge are required",
                                  field="primaryObjectId")
    with ctx.state.lock:
        try:
            survivor = ctx.state.merge_contacts(str(body["primaryObjectId"]),
                                                str(body["objectIdToMerge"]))
        except ValueError as exc:
            raise ApiError.validation(str(exc), field="objectIdToMerge") from None
        return json_response(render(ctx.state.contacts.records[survivor], props_for("contacts", None)))


def gdpr_delete(ctx: Ctx) -> Any:
    """POST /crm/v3/objects/contacts/gdpr-delete (204)."""
    body = ctx.body()
    if not isinstance(body, dict) or not body.get("objectId"):
        raise ApiError.validation("objectId: is required", field="objectId")
    with ctx.state.lock:
        record = lookup(ctx, "contacts", str(body["objectId"]), body.get("idProperty"))
        if record is None:
            raise ApiError.not_found(f"Object {body['objectId']} was not found")
        ctx.state.gdpr_delete(record.id)
    return json_response(None, 204)
