"""Collects the portal's engagement records while the world is generated.

Generators append records in whatever order is convenient; ``finish`` sorts each stream
by time (stably, so equal times keep their generation order) and only then hands out ids,
so ids grow with time as they do in a real portal and the output is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ._ids import iso, rng_uuid

__all__ = ["ENGAGEMENT_KINDS", "Recorder", "Target"]

ENGAGEMENT_KINDS = ("emails", "calls", "meetings", "notes", "tasks")
EMAIL_APP_ID = 113
_NOT_ACTIVITY = ("SENT", "DELIVERED")  # the portal's doing, not the contact's


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """What engagement generators need to know about one HubSpot contact."""

    hs_id: str
    persona: str
    email: str | None
    first: str
    last: str
    company: str
    created_ms: int
    owner_id: str | None


class Recorder:
    """Appends engagement records; ``last_activity`` tracks each contact's newest signal."""

    def __init__(self, *, rng: random.Random, portal_id: int, first_engagement_id: int = 30_000_001):
        self.rng = rng
        self.portal_id = portal_id
        self._first_engagement_id = first_engagement_id
        self.email_events: list[dict] = []
        self.events: list[dict] = []
        self.form_submissions: list[dict] = []
        self.engagements: dict[str, list[dict]] = {k: [] for k in ENGAGEMENT_KINDS}
        self.last_activity: dict[str, int] = {}

    def touch(self, hs_id: str, ms: int) -> None:
        """Note an activity of ``hs_id`` at ``ms`` (sends and deliveries are not activity)."""
        if ms > self.last_activity.get(hs_id, 0):
            self.last_activity[hs_id] = ms

    def email_event(self, kind: str, hs_id: str, recipient: str, campaign: int, ms: int,
                    **extra) -> None:
        """One marketing-email event (v1 shape); ``extra`` carries type-specific fields."""
        if kind not in _NOT_ACTIVITY:
            self.touch(hs_id, ms)
        self.email_events.append({"id": "", "created": ms, "type": kind, "recipient": recipient,
                                  "emailCampaignId": campaign, "appId": EMAIL_APP_ID, **extra})

    def event(self, hs_id: str, name: str, ms: int, properties: dict[str, str]) -> None:
        """One events-v3 occurrence; ``name`` is ``e_visited_page`` or a custom ``pe…`` name."""
        self.touch(hs_id, ms)
        self.events.append({"id": "", "eventType": name, "objectType": "contact",
                            "objectId": hs_id, "occurredAt": ms, "properties": properties})

    def form(self, hs_id: str | None, form_guid: str, ms: int, page_url: str,
             values: list[dict[str, str]]) -> None:
        """One form submission (v1 shape)."""
        if hs_id:
            self.touch(hs_id, ms)
        self.form_submissions.append({"formGuid": form_guid, "conversionId": "", "submittedAt": ms,
                                      "pageUrl": page_url, "values": values})

    def engagement(self, kind: str, hs_id: str, ms: int, properties: dict, owner_id: str | None,
                   *, created_ms: int | None = None) -> None:
        """One sales engagement (``kind`` in ``ENGAGEMENT_KINDS``) on one contact at ``ms``.

        ``created_ms`` differs from ``ms`` for meetings booked ahead: created now, held later.
        """
        created = ms if created_ms is None else created_ms
        self.touch(hs_id, min(ms, created))
        props = {"hs_timestamp": ms, **properties}
        if owner_id:
            props["hubspot_owner_id"] = owner_id
        self.engagements[kind].append({"id": "", "createdAt": created, "updatedAt": created,
                                       "archived": False, "properties": props, "contact_ids": [hs_id]})

    def finish(self) -> None:
        """Sort every stream by time, then assign ids and render timestamps."""
        rng = self.rng
        self.email_events.sort(key=lambda e: e["created"])
        for e in self.email_events:
            e["id"] = rng_uuid(rng)
        self.events.sort(key=lambda e: e["occurredAt"])
        for e in self.events:
            e["id"] = rng_uuid(rng)
            e["occurredAt"] = iso(e["occurredAt"])
        self.form_submissions.sort(key=lambda f: f["submittedAt"])
        for f in self.form_submissions:
            f["conversionId"] = rng_uuid(rng)
        self._finish_engagements()

    def _finish_engagements(self) -> None:
        everything = [(r["createdAt"], i, r) for k in ENGAGEMENT_KINDS
                      for i, r in enumerate(self.engagements[k])]
        everything.sort(key=lambda t: t[0])
        for n, (_, _, r) in enumerate(everything):
            r["id"] = str(self._first_engagement_id + n)
            r["createdAt"] = r["updatedAt"] = iso(r["createdAt"])
            r["properties"]["hs_timestamp"] = iso(r["properties"]["hs_timestamp"])
            # Meetings and calls carry their own start/end stamps relative to hs_timestamp.
            for prop in ("hs_meeting_start_time", "hs_meeting_end_time"):
                if prop in r["properties"]:
                    r["properties"][prop] = iso(r["properties"][prop])
