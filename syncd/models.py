"""Values that flow between the core and the connectors.

Every type here is frozen, keyword-only, and refuses naive datetimes: the core never
guesses a timezone. Connectors build these values from API payloads; the core only
reads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "CrmRecord",
    "EngagementEvent",
    "EngagementKind",
    "HubSpotContact",
    "WriteResult",
    "email_key",
    "require_aware",
    "stored_event",
]


def require_aware(name: str, value: datetime) -> None:
    """Raise ``ValueError`` unless ``value`` carries a timezone."""
    tz = value.tzinfo
    if tz is not UTC and (tz is None or value.utcoffset() is None):  # UTC, the usual zone, needs no call
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


class EngagementKind(StrEnum):
    """One kind of buying-behaviour signal, whatever HubSpot endpoint it came from."""

    EMAIL_SENT = "email_sent"
    EMAIL_DELIVERED = "email_delivered"
    EMAIL_OPEN = "email_open"
    EMAIL_CLICK = "email_click"
    EMAIL_BOUNCE = "email_bounce"
    EMAIL_UNSUBSCRIBE = "email_unsubscribe"
    EMAIL_SPAM_REPORT = "email_spam_report"
    EMAIL_REPLY = "email_reply"
    FORM_SUBMISSION = "form_submission"
    PAGE_VIEW = "page_view"
    CUSTOM_EVENT = "custom_event"
    MEETING = "meeting"
    CALL = "call"
    NOTE = "note"
    OFFLINE = "offline"  # a row of an offline file (badge scan, webinar, business card)


@dataclass(frozen=True, slots=True, kw_only=True)
class EngagementEvent:
    """One normalised engagement signal of one contact.

    ``id`` is stable and unique across streams (``"<stream>:<native id>"``), so the same
    event pulled twice deduplicates. ``attributes`` carries what scoring rules look at,
    e.g. ``form_id``, ``url``, ``event_name``, ``campaign_id``, ``direction``.
    """

    id: str
    contact_id: str
    kind: EngagementKind
    occurred_at: datetime
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_aware("occurred_at", self.occurred_at)


def _stored_event_maker() -> Callable[[str, str, EngagementKind, datetime, Mapping[str, Any]], EngagementEvent]:
    """``make(id, contact_id, kind, occurred_at, attributes)``: an ``EngagementEvent`` from
    values the state store already holds (checked when they were stored), without the
    keyword handling and checks of the dataclass's ``__init__``: reading a cycle's events
    back makes hundreds of thousands of them."""
    new = object.__new__
    set_id, set_contact, set_kind, set_at, set_attrs = (
        EngagementEvent.__dict__[n].__set__ for n in ("id", "contact_id", "kind", "occurred_at", "attributes"))

    def make(id, contact_id, kind, occurred_at, attributes):  # noqa: A002 - the field's name
        event = new(EngagementEvent)
        set_id(event, id)
        set_contact(event, contact_id)
        set_kind(event, kind)
        set_at(event, occurred_at)
        set_attrs(event, attributes)
        return event
    return make


stored_event = _stored_event_maker()


@dataclass(frozen=True, slots=True, kw_only=True)
class HubSpotContact:
    """A HubSpot contact as pulled: its id, the requested properties and its change time."""

    id: str
    properties: Mapping[str, str | None]
    updated_at: datetime
    archived: bool = False
    merged_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        require_aware("updated_at", self.updated_at)

    @property
    def email(self) -> str | None:
        return self.properties.get("email") or None


@dataclass(frozen=True, slots=True, kw_only=True)
class CrmRecord:
    """A Salesforce Lead or Contact as read: object name, record id and the fields read."""

    object: str
    id: str
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteResult:
    """The outcome of one record of a batched write, in the order the records were sent.

    ``retriable`` marks a failure worth sending again later (a locked row, a row not sent
    because the API was busy); the adapter decides it, the caller leaves such rows pending.
    """

    key: str
    ok: bool
    id: str | None = None
    created: bool = False
    error_code: str | None = None
    message: str | None = None
    retriable: bool = False


def email_key(email: Any) -> str | None:
    """An address as HubSpot matches it (stripped, any case): how the store keys a contact's
    primary e-mail and the e-mail feeds look recipients up; ``None`` if blank."""
    return (email.strip().lower() or None) if isinstance(email, str) else None


def hubspot_text(value: Any) -> str:
    """A property value as HubSpot takes and returns it: every value is a string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
