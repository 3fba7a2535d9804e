"""The small interfaces the pipeline talks to. Real adapters and fakes both implement them.

The core never imports a connector; the composition root (``syncd.app``) picks the
implementation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from syncd.effects import ChunkResult
from syncd.models import CrmRecord, EngagementEvent, HubSpotContact, WriteResult
from syncd.offline_change import OfflineChange

__all__ = ["ApiUsage", "CrmGateway", "CursorStore", "FieldSchema", "HubSpotSource", "ObjectSchema", "PullBatch",
           "PullWriter", "StateStore", "WebhookQueue"]

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


@dataclass(frozen=True, slots=True)
class RecordBatch:
    """Rows of one Salesforce object to write one way: ``upsert`` on ``key_field`` (an
    external id), or ``update`` (``key_field`` is ``Id``)."""

    object_name: str
    operation: str
    key_field: str
    rows: Sequence[Mapping[str, Any]]


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

    def update_contacts(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Batch-update properties of ``{"id", "properties"}`` rows; one result per row, in
        order, keyed by id. HubSpot moves ``lifecyclestage`` forward only: a backward move is
        a clear, then a set in a later call."""
        ...

    def create_contacts(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Batch-create ``{"properties"}`` rows (each with an email); results keyed by email."""
        ...

    def fold_own_writes(self, cursors: Cursors) -> Cursors | None:
        """The cursors (to store) once they know the contact updates this source made since
        the last pull or fold, so reading them back costs nothing; ``None`` when there is
        nothing to fold (their echo is then read and recognised by value)."""
        ...

    def owners(self) -> list[dict[str, Any]]:
        """The portal's active owners (``id``, ``email``, names)."""
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

    def write_records(self, batches: Sequence[RecordBatch]) -> list[list[WriteResult]]:
        """Several upserts and updates at once (they may share calls); per batch one result
        per row, in order."""
        ...

    def opportunity_facts(self, account_ids: Collection[str]) -> dict[str, dict[str, bool]]:
        """Per account id: ``{"open": bool, "won": bool}`` over its opportunities."""
        ...

    def users(self) -> list[dict[str, Any]]:
        """Active Salesforce users (``Id``, ``Email``, names): possible owners."""
        ...

    def queues(self) -> list[dict[str, Any]]:
        """Lead queues (``Id``, ``Name``, ``DeveloperName``)."""
        ...

    def upsert_tasks(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Upsert Tasks on their deterministic key (``Syncd_Key__c``): a retried or repeated
        create never makes a second task. One result per row, in order."""
        ...

    def tasks_by_key(self, keys: Collection[str]) -> dict[str, CrmRecord]:
        """The Tasks among ``keys`` (``Syncd_Key__c``) that exist, by key, with ``Id``,
        ``WhoId``, ``OwnerId``, ``Status`` and ``IsClosed``."""
        ...

    def people_changed(self, since: Mapping[str, datetime | None],
                       held: Mapping[str, int] | None = None) -> dict[str, list[CrmRecord]]:
        """Per object (``Lead``, ``Contact``): records whose ``SystemModstamp`` is at or after
        ``since[object]`` (every record when None), deleted ones included with
        ``IsDeleted = true``, oldest first. An idle read costs one call. ``held[object]``:
        how many records stamped exactly ``since[object]`` the caller holds already; when
        that is still their number they may be left out (a source may also return them)."""
        ...

    def people_pages(self, since: Mapping[str, datetime | None],
                     held: Mapping[str, int] | None = None) -> Iterator[tuple[str, list[CrmRecord]]]:
        """What ``people_changed`` reads, as (object, records) chunks handed on while reading
        (an object read whole may come in many chunks, in any order); every object asked
        for comes at least once."""
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


class WebhookQueue(Protocol):
    """Contact ids named by HubSpot webhooks, waiting for the next cycle to read them."""

    def __len__(self) -> int: ...


class PullWriter(Protocol):
    """``StateStore.pull_writer``'s handle: ``save`` adds a batch to the open transaction,
    ``commit`` ends it; each returns the count of new events it stored (a store may hold a
    transaction's events back until its commit)."""

    def save(self, batch: PullBatch, quiet: Collection[str]) -> int: ...

    def commit(self) -> int: ...


class StateStore(CursorStore, Protocol):
    """Everything syncd remembers between cycles. Each method is one transaction.

    The pending set is the durable queue between pull and write: ``save_pull_batch`` makes
    contacts pending together with the cursors that cover them, ``commit_chunk`` keeps a
    chunk's facts and takes its settled people out of the set, in one transaction.
    """

    def load_cursors(self, prefix: str = "") -> dict[str, dict[str, Any]]: ...

    def save_pull_batch(self, batch: PullBatch, *, now: datetime, quiet: Collection[str] = ()) -> int:
        """Store contacts, events, merges, deletions and cursors together; new events count.
        Contacts in ``quiet`` (syncd's own echo) do not become pending."""
        ...

    def pull_writer(self, *, now: datetime) -> AbstractContextManager[PullWriter]:
        """Batches stored as ``save_pull_batch`` stores them, several per transaction: what
        the writer saved is durable at each ``commit`` and when the block is left, also when
        it is left by an error raised outside ``save``. A ``save`` that fails takes the open
        transaction with it (what was saved since the last ``commit``)."""
        ...

    def contact_properties(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored snapshot of these contacts' properties."""
        ...

    def mark_due_for_review(self, now: datetime) -> int:
        """Make pending the people whose score may change by time alone; how many."""
        ...

    def contact_ids_by_email(self, emails: Sequence[str]) -> dict[str, str]:
        """Stored live contacts by primary e-mail (stripped, lower case): the addresses
        exactly one of them has, each with its contact id."""
        ...

    def pending_contacts(self, limit: int = 1000, *, after: str = "") -> list[HubSpotContact]: ...

    def count_pending(self) -> int: ...

    def events_for(self, contact_ids: Sequence[str]) -> dict[str, list[EngagementEvent]]: ...

    def id_map(self, hubspot_ids: Sequence[str]) -> dict[str, tuple[str, str]]: ...

    def record_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Per person: ``{"fields": what syncd last wrote, ...}``."""
        ...

    def lifecycle_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]: ...

    def hubspot_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Per person: ``{"properties": what syncd last wrote to HubSpot, "written_at"}``."""
        ...

    def hubspot_outbox(self, *, after: str = "", limit: int = 1000, clears: bool | None = None) -> list[Any]:
        """HubSpot writes (``HubSpotWrite``) waiting to be sent, by contact id after ``after``;
        ``clears``: only those whose clear request is still to send (True), only the others
        (False)."""
        ...

    def mirror_rows(self, sf_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The mirrored fields of these Salesforce records (deleted ones included)."""
        ...

    def save_mirror(self, rows: Sequence[Mapping[str, Any]], *, cursors: Mapping[str, Mapping[str, Any]],
                    pending: Collection[str], now: datetime) -> None:
        """Keep changed mirror rows (``sf_id, sf_object, fields, email_key, external_id,
        converted_contact_id, modstamp, deleted``) with the feed's cursors, and make
        ``pending`` people pending, in one transaction."""
        ...

    def mirror_candidates(self, *, emails: Collection[str], hubspot_ids: Collection[str],
                          sf_ids: Collection[str]) -> list[CrmRecord]:
        """Live mirrored records by canonical email (converted Leads left out), external id or
        id, plus the Contacts converted Leads among them became."""
        ...

    def hubspot_ids_for(self, sf_ids: Sequence[str]) -> dict[str, str]:
        """Salesforce record id → linked HubSpot contact id."""
        ...

    def mirror_size(self) -> int: ...

    def follow_ups_for(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Each person's latest follow-up under the SLA."""
        ...

    def open_follow_ups(self) -> list[dict[str, Any]]: ...

    def touch_follow_ups(self, touches: Mapping[str, datetime]) -> int:
        """Follow-ups whose task sales closed (task key → when) become touched; how many."""
        ...

    def mark_pending(self, hubspot_ids: Sequence[str]) -> None: ...

    def open_per_owner(self) -> dict[str, int]:
        """Open follow-ups per owner (what a cap of open active leads counts)."""
        ...

    def routing_positions(self) -> dict[str, int]: ...

    def follow_up_stats(self) -> list[dict[str, Any]]: ...

    def save_writes_in_flight(self, writes: Mapping[str, Mapping[str, Any]], *, run_id: str,
                              now: datetime) -> None:
        """Keep what a chunk is about to write per person (``syncd.sync.inflight``), in
        place of what was kept for them before."""
        ...

    def writes_in_flight(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Per person: syncd's writes not yet accounted for by a committed chunk."""
        ...

    def commit_chunk(self, result: ChunkResult, *, now: datetime) -> None:
        """Keep the chunk's facts and settle its people, all or nothing; the writes in
        flight of the chunk's people are then accounted for and forgotten."""
        ...

    def contact(self, hubspot_id: str) -> dict[str, Any] | None: ...

    def find_contact_by_email(self, email: str) -> str | None: ...

    def stage_history(self, hubspot_id: str) -> list[dict[str, Any]]: ...

    def review_items(self) -> list[dict[str, Any]]: ...

    # -- offline files and the review queue ----------------------------------------------
    def offline_hashes(self) -> frozenset[str]:
        """Content hashes of the offline files imported before."""
        ...

    def save_offline(self, change: OfflineChange) -> None:
        """Keep an import's or a review decision's changes in one transaction: the file and
        its rows, contacts (pending), events (deduplicated; their people pending), links,
        filled fields (id map history), review items (unless their pair was decided) and
        decisions (remembered; their item leaves the queue)."""
        ...

    def offline_rows(self, *, status: str | None = None) -> list[dict[str, Any]]: ...

    def offline_files(self) -> list[dict[str, Any]]: ...

    def review_item(self, key: str) -> dict[str, Any] | None: ...

    def review_decisions(self, subjects: Sequence[str]) -> dict[str, list[dict[str, Any]]]: ...

    def matching_people(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(live contacts ``hubspot_id, properties``, live mirrored ``sf_id, sf_object, fields``)."""
        ...

    def start_run(self, run_id: str, *, now: datetime) -> None: ...

    def finish_run(self, run_id: str, *, now: datetime, status: str, summary: Mapping[str, Any],
                   error: str | None = None) -> None: ...

    def last_runs(self, limit: int = 10) -> list[dict[str, Any]]: ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...
