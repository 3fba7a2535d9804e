"""Readers of the activity feeds: marketing email events (v1), behavioural events (v3:
page views and custom events) and form submissions (v1, per form of the forms v3 list)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from syncd.models import HubSpotContact

from . import normalize as norm
from .changed import ChangedContacts
from .keyset import record_ms
from .reading import Item, Pages, Reader
from .timeutil import from_ms

__all__ = ["converted", "email_for", "email_window", "emails_of", "event_window", "events_for",
           "form_window"]


def emails_of(contact: HubSpotContact) -> list[str]:
    """A contact's primary and additional email addresses."""
    extra = str(contact.properties.get("hs_additional_emails") or "").split(";")
    return [e for e in [contact.email, *extra] if e]


def _email_pages(r: Reader, qs: dict[str, Any]) -> Pages:
    offset = None
    while True:
        body = r.api.email_events({**qs, **({"offset": offset} if offset else {})})
        raws = body.get("events") or []
        fresh = [e for e in raws if r.is_new(str(e["id"]), int(e["created"]))]
        found = r.resolver.prefetch(str(e.get("recipient") or "") for e in fresh)
        yield [Item(str(e["id"]), int(e["created"]), r.keep(norm.email_event(e, found.get)))
               for e in fresh]
        if not body.get("hasMore") or not raws:
            return
        offset = body.get("offset")


def email_window(r: Reader, since: int, until: int | None) -> Pages:
    """Marketing email events created in ``[since, until)``, newest first."""
    qs: dict[str, Any] = {"startTimestamp": since, "limit": r.settings.email_event_page_size}
    if until is not None:
        qs["endTimestamp"] = until - 1
    return _email_pages(r, qs)


def email_for(r: Reader, emails: Sequence[str], since: int) -> Pages:
    """Marketing email events since ``since`` of each of ``emails`` (changed contacts'
    addresses, see ``emails_of``)."""
    for email in emails:
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


def events_for(r: Reader, contact_ids: Sequence[str], since: int) -> Pages:
    """Behavioural events since ``since`` of each of ``contact_ids``."""
    for contact_id in contact_ids:
        yield from _event_pages(r, since, None, contact_id)


# -- form submissions (v1), per form of the forms v3 listing ------------------------------
def _forms(r: Reader) -> list[dict]:
    forms, after = [], None
    while True:
        body = r.api.forms(after)
        forms += body.get("results") or []
        after = ((body.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return forms


def _within(ms: int, since: int, until: int | None) -> bool:
    return since <= ms and (until is None or ms < until)


def form_window(r: Reader, since: int, until: int | None) -> Pages:
    """Submissions of every form in ``[since, until)``, reading each form newest first."""
    for form in _forms(r):
        after = None
        while True:  # newest first: stop at the first page that reaches below the window
            body = r.api.form_submissions(form["id"], after, r.settings.form_page_size)
            raws = body.get("results") or []
            fresh = [s for s in raws if _within(int(s["submittedAt"]), since, until)
                     and r.is_new(str(s["conversionId"]), int(s["submittedAt"]))]
            found = r.resolver.prefetch(v.get("value") or "" for s in fresh for v in s.get("values") or []
                                if isinstance(v, dict) and v.get("name") == "email")
            yield [Item(str(s["conversionId"]), int(s["submittedAt"]),
                        r.keep(norm.form_submission(s, form, found.get, r.settings.hand_raise_forms)))
                   for s in fresh]
            after = ((body.get("paging") or {}).get("next") or {}).get("after")
            if not after or not raws or int(raws[-1]["submittedAt"]) < since:
                break


def converted(contacts: ChangedContacts) -> bool:
    """Whether any of the pull's changed ``contacts`` ever submitted a form."""
    # A submission with an email always counts on its contact, so a cycle with no
    # changed contact that ever converted has no new submission to read. (The first read
    # of a stream ignores this test: see ``HubSpotConnector._wanted``.)
    return contacts.converted


def event_window(r: Reader, since: int, until: int | None) -> Pages:
    """Behavioural events that occurred in ``[since, until)``."""
    return _event_pages(r, since, until)
