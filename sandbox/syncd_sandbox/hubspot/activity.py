"""Scenario mutations: engagement that arrives between sync cycles, merges and deletions.

Like HubSpot, each recorded engagement updates the contact's summary properties (from the
time it occurred) and bumps ``lastmodifieddate`` to the wall-clock time it was recorded.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from .contacts import WriteError
from .records import Record
from .seed import link
from .summaries import increment, later, summarise_email_event, summarise_engagement
from .timeutil import iso, parse_time, to_ms

__all__ = ["ActivityMixin", "EMAIL_EVENT_TYPES"]

EMAIL_EVENT_TYPES = ("SENT", "DELIVERED", "OPEN", "CLICK", "BOUNCE", "STATUSCHANGE", "SPAMREPORT",
                     "PROCESSED", "DROPPED", "DEFERRED", "FORWARD", "PRINT")


class ActivityMixin:
    """Mutation helpers of ``HubSpotState`` (which supplies lock, stores and rules)."""

    def _uid(self, kind: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"hubspot:{self.portal_id}:{kind}:{self.next_id()}"))

    def _occurred(self, occurred_at: datetime | None, at: datetime) -> datetime:
        return at if occurred_at is None else parse_time(occurred_at)

    def _touch(self, record: Record, at: datetime) -> None:
        self.contacts.touch(record, at)
        self.changed()

    def record_email_event(self, recipient: str, type: str, *, campaign_id: int,
                           occurred_at: datetime | None = None, **extra: Any) -> str:
        """Record a marketing email event (v1 shape); returns its id."""
        if type not in EMAIL_EVENT_TYPES:
            raise ValueError(f"type: {type!r} is not one of {', '.join(EMAIL_EVENT_TYPES)}")
        with self.lock:
            at = self.now()
            occurred = self._occurred(occurred_at, at)
            event = {"id": self._uid("email-event"), "created": to_ms(occurred), "type": type,
                     "recipient": recipient, "emailCampaignId": int(campaign_id),
                     "appId": int(extra.pop("app_id", extra.pop("appId", 0))),
                     "portalId": self.portal_id, **extra}
            self.email_events.append(event)
            record = self.contacts.records.get(self.rules.email_index.get(recipient.lower(), ""))
            if record is not None:
                summarise_email_event(record, type, extra, occurred, at)
                self._touch(record, at)
            self.changed()
            return event["id"]

    def record_form_submission(self, form_id: str, values: dict[str, str], *,
                               occurred_at: datetime | None = None, page_url: str = "") -> str:
        """Record a form submission; creates or updates the submitting contact by email."""
        with self.lock:
            form = next((f for f in self.forms if f["id"] == form_id), None)
            if form is None:
                raise ValueError(f"form_id: no form {form_id!r}; add it to the seed's forms")
            at = self.now()
            occurred = self._occurred(occurred_at, at)
            sub = {"formGuid": form_id, "conversionId": self._uid("conversion"),
                   "submittedAt": to_ms(occurred), "pageUrl": page_url,
                   "values": [{"name": k, "value": v} for k, v in values.items()]}
            self.submissions.setdefault(form_id, []).append(sub)
            known = {k: v for k, v in values.items() if k in self.contact_defs}
            if known.get("email"):
                self._convert(known, form["name"], occurred, at)
            self.changed()
            return sub["conversionId"]

    def _convert(self, known: dict[str, str], form_name: str, occurred: datetime,
                 at: datetime) -> None:
        try:
            clean = self.rules.clean(known, known["email"])
        except WriteError as exc:
            raise ValueError(str(exc)) from None
        record = self.contacts.records.get(self.rules.email_index.get(clean["email"].lower(), ""))
        if record is None:
            record = self.create_contact(clean, at)
        else:
            self.rules.apply(record, clean, at, stage_before=record.properties.get("lifecyclestage"))
        increment(record, "num_conversion_events", at)
        if later(record, "recent_conversion_date", occurred, at):
            record.set("recent_conversion_event_name", form_name, at, "CALCULATED")
        first = record.properties.get("first_conversion_date")
        if not first or parse_time(first) > occurred:
            record.set("first_conversion_date", iso(occurred), at, "CALCULATED")
            record.set("first_conversion_event_name", form_name, at, "CALCULATED")
        self._touch(record, at)

    def record_event(self, contact_id: str, event_type: str, *, occurred_at: datetime | None = None,
                     properties: dict | None = None) -> str:
        """Record a behavioural event (page view or custom event) of a contact."""
        with self.lock:
            record = self._live(contact_id)
            at = self.now()
            occurred = self._occurred(occurred_at, at)
            event = {"id": self._uid("event"), "eventType": event_type, "objectType": "contact",
                     "objectId": record.id, "occurredAt": iso(occurred),
                     "properties": {k: str(v) for k, v in (properties or {}).items()}}
            self.events.append(event)
            if event_type == "e_visited_page":
                increment(record, "hs_analytics_num_page_views", at)
                later(record, "hs_analytics_last_visit_timestamp", occurred, at)
            self._touch(record, at)
            return event["id"]

    def record_engagement(self, object_type: str, contact_ids: list[str], properties: dict, *,
                          occurred_at: datetime | None = None) -> str:
        """Create an email/call/meeting/note/task associated with contacts; returns its id."""
        if object_type not in self.assoc:
            raise ValueError(f"object_type: {object_type!r} is not one of {', '.join(self.assoc)}")
        with self.lock:
            records = [self._live(c) for c in contact_ids]
            at = self.now()
            occurred = self._occurred(occurred_at, at)
            store = self.stores[object_type]
            props = {k: None if v is None else str(v) for k, v in properties.items()}
            props.setdefault("hs_timestamp", iso(occurred))
            engagement = Record(id=str(store.max_numeric_id + 1), properties=props,
                                created_at=at, updated_at=at)
            store.add(engagement)
            link(self, object_type, engagement.id, [r.id for r in records])
            for record in records:
                summarise_engagement(record, object_type, props, occurred, at)
                self._touch(record, at)
            self.changed()
            return engagement.id

    def _live(self, contact_id: str) -> Record:
        record = self.resolve(str(contact_id))
        if record is None or record.archived:
            raise ValueError(f"contact_id: no live contact {contact_id!r}")
        return record
