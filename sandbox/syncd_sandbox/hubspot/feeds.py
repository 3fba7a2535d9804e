"""Activity feeds: events v3 and marketing email events v1."""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .http import Ctx, json_response
from .timeutil import iso, parse_time, to_ms
from .views import email_events_view, events_view, query_rows

__all__ = ["list_events", "email_events", "OBJECT_TYPES"]

OBJECT_TYPES = {"contacts": "contacts", "contact": "contacts", "0-1": "contacts",
          "emails": "emails", "email": "emails", "0-49": "emails",
          "calls": "calls", "call": "calls", "0-48": "calls",
          "meetings": "meetings", "meeting": "meetings", "0-47": "meetings",
          "notes": "notes", "note": "notes", "0-46": "notes",
          "tasks": "tasks", "task": "tasks", "0-27": "tasks"}


def _time_param(ctx: Ctx, name: str) -> int | None:
    raw = ctx.str_param(name)
    if not raw:
        return None
    try:
        return to_ms(parse_time(raw))
    except ValueError as exc:
        raise ApiError.validation(f"{name}: {exc}", field=name) from None


def list_events(ctx: Ctx) -> Any:
    """GET /events/v3/events: filter by object, type and occurredAt window; newest first
    unless ``sort=occurredAt``."""
    limit = ctx.int_param("limit", 100, low=1, high=1000)
    after, since, until = ctx.cursor("after"), _time_param(ctx, "occurredAfter"), _time_param(ctx, "occurredBefore")
    object_type = OBJECT_TYPES.get(ctx.str_param("objectType") or "contacts")
    object_id, event_type = ctx.str_param("objectId"), ctx.str_param("eventType")
    sort = (ctx.list_param("sort") or ["-occurredAt"])[0]
    if sort.lstrip("-") != "occurredAt":
        raise ApiError.validation(f"sort: {sort!r}; use occurredAt or -occurredAt", field="sort")
    def build() -> list:
        index = events_view(ctx.state).get(object_id if object_id is not None else None)
        found = [] if index is None else index.window(since, until, inclusive=False)
        found = [(ms, e) for ms, e in found
                 if OBJECT_TYPES.get(e.get("objectType", "contact")) == object_type
                 and (event_type is None or e["eventType"] == event_type)]
        return found[::-1] if sort.startswith("-") else found
    with ctx.state.lock:
        rows = query_rows(ctx.state, "events", (object_id, since, until, object_type, event_type, sort), build)
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
    offset = ctx.cursor("offset")
    event_type, recipient = ctx.str_param("eventType"), ctx.str_param("recipient")
    campaign = ctx.int_param("campaignId", None)
    def build() -> list:
        window = email_events_view(ctx.state).window(start, end, inclusive=True)
        return [e for _, e in reversed(window)
                if (event_type is None or e["type"] == event_type)
                and (recipient is None or e["recipient"].lower() == recipient.lower())
                and (campaign is None or e.get("emailCampaignId") == campaign)]
    with ctx.state.lock:
        rows = query_rows(ctx.state, "email_events", (start, end, event_type, recipient, campaign), build)
    page = rows[offset:offset + limit]
    more = offset + limit < len(rows)
    return json_response({"events": page, "hasMore": more,
                          "offset": str(offset + len(page))})
