"""Pure functions from HubSpot payloads to ``EngagementEvent`` / ``HubSpotContact`` values.

A payload that cannot be an event (no contact, a type that is not a buying signal) returns
``None`` with a reason, so the caller counts it instead of dropping it silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from syncd.models import EngagementEvent, EngagementKind, HubSpotContact

from .timeutil import from_ms, parse_ms

__all__ = ["EMAIL_KINDS", "contact_from", "email_event", "engagement_object",
           "behavioural_event", "form_submission", "merged_ids"]

EMAIL_KINDS = {"SENT": EngagementKind.EMAIL_SENT, "DELIVERED": EngagementKind.EMAIL_DELIVERED,
               "OPEN": EngagementKind.EMAIL_OPEN, "CLICK": EngagementKind.EMAIL_CLICK,
               "BOUNCE": EngagementKind.EMAIL_BOUNCE, "SPAMREPORT": EngagementKind.EMAIL_SPAM_REPORT}
OBJECT_KINDS = {"meetings": EngagementKind.MEETING, "calls": EngagementKind.CALL,
                "notes": EngagementKind.NOTE}
PAGE_VIEW_TYPE = "e_visited_page"
Lookup = Callable[[str], "str | None"]  # email → contact id


def merged_ids(properties: Mapping[str, Any]) -> tuple[str, ...]:
    """Ids merged into a contact (``hs_merged_object_ids`` is ``;``-separated)."""
    return tuple(i for i in str(properties.get("hs_merged_object_ids") or "").split(";") if i)


def contact_from(record: Mapping[str, Any]) -> HubSpotContact:
    """A contact from a v3 object (search or batch read result)."""
    props = dict(record.get("properties") or {})
    changed = props.get("lastmodifieddate") or record.get("updatedAt")
    return HubSpotContact(id=str(record["id"]), properties=props,
                          updated_at=from_ms(parse_ms(changed, field=f"lastmodifieddate of {record['id']}")),
                          archived=bool(record.get("archived", False)), merged_ids=merged_ids(props))


def _unsubscribe(raw: Mapping[str, Any]) -> bool:
    if raw.get("portalSubscriptionStatus") == "UNSUBSCRIBED":
        return True
    return any(isinstance(s, dict) and s.get("status") == "UNSUBSCRIBED"
               for s in raw.get("subscriptions") or [])


def email_event(raw: Mapping[str, Any], lookup: Lookup) -> tuple[EngagementEvent | None, str]:
    """A marketing email event (v1); STATUSCHANGE counts only as an unsubscribe."""
    kind = EMAIL_KINDS.get(raw.get("type", ""))
    if raw.get("type") == "STATUSCHANGE" and _unsubscribe(raw):
        kind = EngagementKind.EMAIL_UNSUBSCRIBE
    if kind is None:
        return None, f"email event type {raw.get('type')} is not a buying signal"
    contact = lookup(str(raw.get("recipient") or ""))
    if contact is None:
        return None, "email event recipient is not a contact"
    attrs = {"campaign_id": raw.get("emailCampaignId")}
    for key, name in (("url", "url"), ("category", "bounce_category")):
        if raw.get(key) is not None:
            attrs[name] = raw[key]
    return EngagementEvent(id=f"email_events:{raw['id']}", contact_id=contact, kind=kind,
                           occurred_at=from_ms(parse_ms(raw["created"], field="created")),
                           attributes=attrs), ""


def behavioural_event(raw: Mapping[str, Any]) -> tuple[EngagementEvent | None, str]:
    """An events v3 occurrence: page view (``url``) or custom event (``event_name``)."""
    if raw.get("objectType") not in (None, "contact", "contacts", "0-1"):
        return None, f"event of object type {raw.get('objectType')} is not about a contact"
    props = raw.get("properties") or {}
    page_view = raw.get("eventType") == PAGE_VIEW_TYPE
    attrs = ({"url": props.get("hs_url")} if page_view
             else {"event_name": raw.get("eventType"), **({"url": props["hs_url"]} if "hs_url" in props else {})})
    return EngagementEvent(id=f"events:{raw['id']}", contact_id=str(raw["objectId"]),
                           kind=EngagementKind.PAGE_VIEW if page_view else EngagementKind.CUSTOM_EVENT,
                           occurred_at=from_ms(parse_ms(raw["occurredAt"], field="occurredAt")),
                           attributes=attrs), ""


def form_submission(raw: Mapping[str, Any], form: Mapping[str, Any], lookup: Lookup,
                    hand_raise_forms: tuple[str, ...] = ()) -> tuple[EngagementEvent | None, str]:
    """A form submission (v1); the submitted email names the contact. ``hand_raise`` says
    whether the form (by id or name) is one of ``hand_raise_forms``."""
    values = {v.get("name"): v.get("value") for v in raw.get("values") or [] if isinstance(v, dict)}
    contact = lookup(str(values.get("email") or ""))
    if contact is None:
        return None, "form submission has no email of a contact"
    return EngagementEvent(id=f"form_submissions:{raw['conversionId']}", contact_id=contact,
                           kind=EngagementKind.FORM_SUBMISSION,
                           occurred_at=from_ms(parse_ms(raw["submittedAt"], field="submittedAt")),
                           attributes={"form_id": form["id"], "form_name": form.get("name"),
                                       "page_url": raw.get("pageUrl") or None,
                                       "hand_raise": bool({form["id"], form.get("name")} & set(hand_raise_forms))}), ""


def engagement_object(stream: str, raw: Mapping[str, Any], contact_ids: list[str]) -> list[EngagementEvent]:
    """One event per associated contact of a meeting/call/note/email object.

    The id is ``<stream>:<object id>`` with one contact, ``<stream>:<object id>-<contact id>``
    with several, so each (object, contact) pair is one event.
    """
    props = raw.get("properties") or {}
    occurred = from_ms(parse_ms(props.get("hs_timestamp") or props.get("hs_createdate"),
                                field=f"hs_timestamp of {stream} {raw['id']}"))
    if stream == "emails":
        incoming = props.get("hs_email_direction") == "INCOMING_EMAIL"
        # Replies are the buying signal; sales emails sent count as sends.
        kind = EngagementKind.EMAIL_REPLY if incoming else EngagementKind.EMAIL_SENT
        attrs = {"direction": props.get("hs_email_direction"), "source": "sales"}
    else:
        kind = OBJECT_KINDS[stream]
        attrs = {k.removeprefix("hs_"): v for k, v in props.items()
                 if k in ("hs_meeting_title", "hs_call_direction", "hs_meeting_outcome", "hs_call_disposition") and v}
    many = len(contact_ids) > 1
    return [EngagementEvent(id=f"{stream}:{raw['id']}" + (f"-{c}" if many else ""), contact_id=c,
                            kind=kind, occurred_at=occurred, attributes=attrs) for c in contact_ids]
