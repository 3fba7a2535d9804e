"""The engagement streams, declared in one registry.

Each ``Stream`` says how to read a time range (``read``), optionally how to read only
what some changed contacts did (``read_for``, with its cost in calls), and when a cycle
needs it at all (``wanted``). Adding a kind of engagement is one reader, one normaliser
and one registry entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from syncd.models import EngagementEvent, HubSpotContact

from . import normalize as norm
from .keyset import record_ms, scan_changed
from .resolver import EmailResolver
from .settings import HubSpotClientSettings
from .timeutil import from_ms
from .transport import ENGAGEMENT_TYPES, HubSpotApi

__all__ = ["Item", "Reader", "STREAMS", "Stream"]


@dataclass(frozen=True, slots=True)
class Item:
    """One native record read: its id, cursor time (epoch ms) and the events it yields."""

    key: str
    ms: int
    events: list[EngagementEvent]


@dataclass
class Reader:
    """What readers share in one pull: the API, settings, the email map, skip counts."""

    api: HubSpotApi
    settings: HubSpotClientSettings
    resolver: EmailResolver
    skipped: dict[str, int] = field(default_factory=dict)

    def keep(self, result: tuple[EngagementEvent | None, str]) -> list[EngagementEvent]:
        event, reason = result
        if event is None:
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
            return []
        return [event]


Pages = Iterator[list[Item]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Stream:
    name: str
    shape: Literal["window", "keyset"]
    read: Callable[[Reader, int, int | None], Pages]
    wanted: Callable[[Sequence[HubSpotContact]], bool] = bool
    read_for: Callable[[Reader, Sequence[HubSpotContact], int], Pages] | None = None
    per_contact_cost: Callable[[Sequence[HubSpotContact]], int] | None = None
    sliceable: bool = True  # False: the API cannot filter by time, read history in one pass


def _emails_of(contact: HubSpotContact) -> list[str]:
    extra = str(contact.properties.get("hs_additional_emails") or "").split(";")
    return [e for e in [contact.email, *extra] if e]


# -- marketing email events (v1) ----------------------------------------------------------
def _email_pages(r: Reader, qs: dict[str, Any]) -> Pages:
    offset = None
    while True:
        body = r.api.email_events({**qs, **({"offset": offset} if offset else {})})
        raws = body.get("events") or []
        r.resolver.prefetch(str(e.get("recipient") or "") for e in raws)
        yield [Item(str(e["id"]), int(e["created"]), r.keep(norm.email_event(e, r.resolver.get)))
               for e in raws]
        if not body.get("hasMore") or not raws:
            return
        offset = body.get("offset")


def _email_window(r: Reader, since: int, until: int | None) -> Pages:
    qs: dict[str, Any] = {"startTimestamp": since, "limit": r.settings.email_event_page_size}
    if until is not None:
        qs["endTimestamp"] = until - 1
    return _email_pages(r, qs)


def _email_for(r: Reader, contacts: Sequence[HubSpotContact], since: int) -> Pages:
    for contact in contacts:
        for email in _emails_of(contact):
            yield from _email_pages(r, {"startTimestamp": since, "recipient": email,
                                        "limit": r.settings.email_event_page_size})


# -- behavioural events (v3): page views and custom events --------------------------------
def _event_pages(r: Reader, since: int, until: int | None, object_id: str | None = None) -> Pages:
    after = None
    while True:
        body = r.api.events(occurred_after=from_ms(since - 1), after=after, object_id=object_id,
                            occurred_before=None if until is None else from_ms(until),
                            limit=r.settings.event_page_size)
        raws = body.get("results") or []
        yield [Item(str(e["id"]), record_ms({"id": e["id"], "properties": e}, "occurredAt"),
                    r.keep(norm.behavioural_event(e))) for e in raws]
        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        if not after or not raws:
            return


def _events_for(r: Reader, contacts: Sequence[HubSpotContact], since: int) -> Pages:
    for contact in contacts:
        yield from _event_pages(r, since, None, contact.id)


# -- form submissions (v1), per form of the forms v3 listing ------------------------------
def _forms(r: Reader) -> list[dict]:
    forms, after = [], None
    while True:
        body = r.api.forms(after)
        forms += body.get("results") or []
        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return forms


def _form_window(r: Reader, since: int, until: int | None) -> Pages:
    for form in _forms(r):
        after = None
        while True:  # newest first: stop at the first page that reaches below the window
            body = r.api.form_submissions(form["id"], after, r.settings.form_page_size)
            raws = body.get("results") or []
            r.resolver.prefetch(v.get("value") or "" for s in raws for v in s.get("values") or []
                                if isinstance(v, dict) and v.get("name") == "email")
            yield [Item(str(s["conversionId"]), int(s["submittedAt"]),
                        r.keep(norm.form_submission(s, form, r.resolver.get))) for s in raws
                   if since <= int(s["submittedAt"]) and (until is None or int(s["submittedAt"]) < until)]
            after = ((body.get("paging") or {}).get("next") or {}).get("after")
            if not after or not raws or int(raws[-1]["submittedAt"]) < since:
                break


def _converted(contacts: Sequence[HubSpotContact]) -> bool:
    # A submission with an email always counts on its contact, so a cycle with no
    # changed contact that ever converted has no new submission to read. (The first read
    # of a stream ignores this test: see ``HubSpotConnector._wanted``.)
    return any(float(c.properties.get("num_conversion_events") or 0) > 0 for c in contacts)


# -- engagement objects: meetings, calls, notes, sales emails -----------------------------
OBJECT_PROPS = ("hs_timestamp", "hs_createdate", "hs_email_direction", "hs_meeting_title",
                "hs_meeting_outcome", "hs_call_direction", "hs_call_disposition")


def _object_reader(object_type: str) -> Callable[[Reader, int, int | None], Pages]:
    def read(r: Reader, since: int, until: int | None) -> Pages:
        pending: list[dict] = []
        for page in scan_changed(r.api, object_type, time_prop="hs_createdate", properties=OBJECT_PROPS,
                                 since_ms=since, until_ms=until, page_size=r.settings.search_page_size):
            pending += page
            if len(pending) + r.settings.search_page_size > r.settings.association_batch_size:
                yield _with_contacts(r, object_type, pending)
                pending = []
        if pending:
            yield _with_contacts(r, object_type, pending)
    return read


def _with_contacts(r: Reader, object_type: str, records: list[dict]) -> list[Item]:
    body = r.api.associations(object_type, "contacts", [x["id"] for x in records])
    links = {str(x["from"]["id"]): [str(t["toObjectId"]) for t in x.get("to") or []]
             for x in body.get("results") or []}
    items = []
    for x in records:
        contacts = links.get(str(x["id"]), [])
        if not contacts:
            r.skipped[f"{object_type} without a contact"] = r.skipped.get(f"{object_type} without a contact", 0) + 1
        items.append(Item(str(x["id"]), record_ms(x, "hs_createdate"),
                          norm.engagement_object(object_type, x, contacts)))
    return items


STREAMS: tuple[Stream, ...] = (
    Stream(name="email_events", shape="window", read=_email_window, read_for=_email_for,
           per_contact_cost=lambda cs: sum(len(_emails_of(c)) for c in cs),
           wanted=lambda cs: any(_emails_of(c) for c in cs)),
    Stream(name="events", shape="window", read=lambda r, s, u: _event_pages(r, s, u),
           read_for=_events_for, per_contact_cost=len),
    Stream(name="form_submissions", shape="window", read=_form_window, wanted=_converted,
           sliceable=False),
    *(Stream(name=t, shape="keyset", read=_object_reader(t)) for t in ENGAGEMENT_TYPES),
)
"""Every engagement stream, in the order a cycle reads them."""

CONTACT_PROPS = ("email", "lastmodifieddate", "hs_merged_object_ids", "hs_additional_emails",
                 "num_conversion_events")
"""Contact properties the connector itself needs besides those the caller asks for."""
