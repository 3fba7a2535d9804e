"""The small interfaces the pipeline talks to. Real adapters and fakes both implement them.

The core never imports a connector; the composition root (``syncd.app``) picks the
implementation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from syncd.models import CrmRecord, EngagementEvent, HubSpotContact, WriteResult

__all__ = ["ApiUsage", "CrmGateway", "CursorStore", "FieldSchema", "HubSpotSource", "ObjectSchema", "PullBatch"]

Cursors = Mapping[str, Mapping[str, Any]]
"""Per-stream cursor values (JSON-able). A source reads them and returns new ones."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PullBatch:
    """One checkpointable slice of a pull.

    ``cursors`` are the stream cursors that become valid once everything in this batch
    (and in the batches before it) has been processed durably.
    """

    contacts: Sequence[HubSpotContact] = ()
    events: Sequence[EngagementEvent] = ()
    merges: Sequence[tuple[str, str]] = ()  # (merged-away id, surviving id)
    deleted: Sequence[str] = ()  # archived / GDPR-deleted contact ids
    cursors: Cursors = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiUsage:
    """Calls made by one adapter since it was built, by endpoint, and what budget is left."""

    calls: Mapping[str, int]
    remaining: int | None = None

    @property
    def total(self) -> int:
        return sum(self.calls.values())


class HubSpotSource(Protocol):
    def pull(self, cursors: Cursors, *, properties: Sequence[str], now: datetime,
             priority_ids: Sequence[str] = ()) -> Iterator[PullBatch]:
        """Contacts changed and engagement that happened since ``cursors``, batch by batch;
        ``priority_ids`` (e.g. named by a webhook) are read first whatever their change time."""
        ...

    def backfill(self, cursor_store: CursorStore, *, since: datetime, now: datetime,
                 on_batch: Callable[[PullBatch], None], progress: Any = None,
                 slice_length: timedelta = ..., properties: Sequence[str] = ()) -> dict[str, int]:
        """Read history from ``since`` to ``now`` in checkpointed slices, handing each batch to
        ``on_batch`` (which persists it); a killed run resumes at its first unfinished slice."""
        ...

    def lifecycle_stages(self, properties: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
        """The portal's ``lifecyclestage`` option values, in display order (from
        ``properties``, as ``contact_properties`` returns them, when given)."""
        ...

    def contact_properties(self) -> Mapping[str, Mapping[str, Any]]:
        """Every contact property definition of the portal, by name."""
        ...

    def usage(self) -> ApiUsage: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldSchema:
    name: str
    type: str
    length: int | None = None
    picklist: tuple[str, ...] = ()
    external_id: bool = False
    updateable: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectSchema:
    name: str
    fields: Mapping[str, FieldSchema]


class CrmGateway(Protocol):
    def find_by_emails(self, emails: Collection[str]) -> list[CrmRecord]:
        """Leads (not converted) and Contacts whose email matches, case-insensitively."""
        ...

    def upsert(self, object_name: str, external_id_field: str,
               rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Upsert rows keyed by ``external_id_field``; one result per row, in order."""
        ...

    def update(self, object_name: str, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Update rows that carry their record ``Id``; one result per row, in order."""
        ...

    def opportunity_facts(self, account_ids: Collection[str]) -> dict[str, dict[str, bool]]:
        """Per account id: ``{"open": bool, "won": bool}`` over its opportunities."""
        ...

    def describe(self, object_name: str) -> ObjectSchema: ...

    def usage(self) -> ApiUsage: ...

    def records_with_external_id(self, object_name: str, external_id_field: str,
                                 fields: Sequence[str]) -> list[CrmRecord]:
        """Every record of ``object_name`` whose ``external_id_field`` is set, with
        ``fields``, in Id order (the nightly audit's read; converted Leads included)."""
        ...


class CursorStore(Protocol):
    """Where stream cursors and backfill checkpoints live between runs (the state store)."""

    def load_cursor(self, stream: str) -> Mapping[str, Any] | None: ...

    def save_cursor(self, stream: str, value: Mapping[str, Any]) -> None: ...
