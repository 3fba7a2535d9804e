"""All data of one emulated portal, behind one lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .activity import ActivityMixin
from .merges import MergeMixin
from .contacts import ContactRules, WriteError
from .properties import DEFAULT_STAGES, contact_property_defs, value_kind
from .records import ObjectStore, Record
from .seed import dump_state, load_seed

__all__ = ["HubSpotState", "ENGAGEMENT_TYPES"]

ENGAGEMENT_TYPES = ("emails", "calls", "meetings", "notes", "tasks")


def _as_callable(clock: Any) -> Callable[[], datetime]:
    if clock is None:
        return lambda: datetime.now(UTC)
    return clock.now if hasattr(clock, "now") else clock


class HubSpotState(ActivityMixin, MergeMixin):
    """One portal: contacts, engagements, events, forms, owners. Thread-safe (one lock).

    Every change bumps ``version``, which keys the search cache.
    """

    def __init__(self, *, portal_id: int, clock: Any = None, owners: list[dict] | None = None,
                 stages: list[dict] | None = None, extra_props: list[dict] | None = None):
        self.lock = threading.RLock()
        self.now = _as_callable(clock)
        self.portal_id = portal_id
        self.version = 0
        self.owners = list(owners or [])
        self.stages = list(stages or DEFAULT_STAGES)
        self.extra_props = list(extra_props or [])
        self.contact_defs = contact_property_defs(self.stages, self.owners, self.extra_props)
        self.stores = {t: ObjectStore(t) for t in ("contacts", *ENGAGEMENT_TYPES)}
        self.contacts = self.stores["contacts"]
        self.rules = ContactRules(self.contacts, self.contact_defs, self.stages)
        self.redirects: dict[str, str] = {}
        self.gdpr_deleted: list[str] = []
        self.assoc: dict[str, dict[str, list[str]]] = {t: {} for t in ENGAGEMENT_TYPES}
        self.contact_assoc: dict[str, dict[str, list[str]]] = {}
        self.forms: list[dict] = []
        self.submissions: dict[str, list[dict]] = {}
        self.email_events: list[dict] = []
        self.events: list[dict] = []
        self.counter = 0
        self.search_cache: dict[tuple[str, str], tuple[int, list[str]]] = {}

    @classmethod
    def from_seed(cls, data: dict, *, clock: Callable[[], datetime] | None = None) -> "HubSpotState":
        """Load a portal seed (see the seed format in the sandbox docs)."""
        state = cls(portal_id=int(data.get("portal_id", 4000123)), clock=clock,
                    owners=data.get("owners"), stages=data.get("lifecycle_stages"),
                    extra_props=data.get("contact_properties"))
        load_seed(state, data)
        return state

    def dump(self) -> dict:
        """Full JSON-able state, deterministic for the same seed and the same operations."""
        with self.lock:
            return dump_state(self)

    # -- lookups ---------------------------------------------------------------------------
    def changed(self) -> None:
        """Mark the state changed (invalidates cached search results)."""
        self.version += 1

    def next_id(self) -> int:
        """A portal-wide increasing counter for generated ids."""
        self.counter += 1
        return self.counter

    def kind_of(self, object_type: str) -> Callable[[str], str]:
        """Comparison kind of each property of ``object_type`` (for search)."""
        defs = self.contact_defs if object_type == "contacts" else {}
        return lambda name: value_kind(defs.get(name), name)

    def resolve(self, contact_id: str) -> Record | None:
        """The contact with this id, following merges; ``None`` when unknown."""
        seen = 0
        while contact_id in self.redirects and seen < 100:
            contact_id, seen = self.redirects[contact_id], seen + 1
        return self.contacts.records.get(contact_id)

    def contact(self, contact_id: str) -> dict | None:
        """Read helper for tests: id, properties, timestamps and archived flag, or ``None``."""
        with self.lock:
            record = self.resolve(contact_id)
            if record is None:
                return None
            return {"id": record.id, "properties": dict(record.properties),
                    "createdAt": record.created_at, "updatedAt": record.updated_at,
                    "archived": record.archived}

    # -- contact writes --------------------------------------------------------------------
    def new_contact_id(self) -> str:
        """The next free numeric contact id (above every id the portal ever had)."""
        return str(self.contacts.max_numeric_id + 1)

    def create_contact(self, clean: dict[str, str], at: datetime, record_id: str | None = None) -> Record:
        """Create a contact from cleaned values (email must already be checked)."""
        record = Record(id=record_id or self.new_contact_id(), properties={},
                        created_at=at, updated_at=at)
        self.contacts.add(record)
        self.rules.apply(record, clean, at, stage_before=None)
        self.rules.index(record)
        self.contact_assoc.setdefault(record.id, {})
        self.changed()
        return record

    def upsert_contact(self, properties: dict[str, str | None], *, id: str | None = None) -> str:
        """Create or update a contact as a user would in HubSpot's UI (stage may move back).

        Matches by ``id`` when given, else by email. Raises ``ValueError`` on a bad value.
        """
        with self.lock:
            at = self.now()
            try:
                clean = self.rules.clean(properties, id or "new")
                record = self.resolve(id) if id else self.contacts.records.get(
                    self.rules.email_index.get((clean.get("email") or "").lower(), ""))
                self.rules.check_email(clean, record.id if record else None)
            except WriteError as exc:
                raise ValueError(str(exc)) from None
            if record is None:
                return self.create_contact(clean, at, id).id
            if self.rules.apply(record, clean, at, stage_before=None, forward_only=False):
                self.changed()
            return record.id
