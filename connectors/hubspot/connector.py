"""``HubSpotConnector``: the ``syncd.ports.HubSpotSource`` over HubSpot's APIs.

One cycle reads changed contacts first (1 call when nothing changed). Engagement is only
read when some contact changed, because HubSpot bumps a contact's ``lastmodifieddate``
whenever engagement is recorded for it. Each window stream then picks the cheaper of
reading its time window and asking per changed contact, by comparing the number of
per-contact calls with what its last window read cost (``last_plan`` shows the choice).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import structlog

from syncd.models import HubSpotContact
from syncd.ports import ApiUsage, Cursors, PullBatch

from .contacts import ContactPage, archived_ids, changed_contacts, named_contacts
from .cursors import KeysetCursor, WindowCursor
from .resolver import EmailResolver
from .settings import HubSpotClientSettings
from .streams import CONTACT_PROPS, STREAMS, Reader, Stream
from .timeutil import to_ms
from .transport import HubSpotApi

__all__ = ["HubSpotConnector"]

log = structlog.get_logger("syncd.hubspot")
STREAM_BY_NAME = {s.name: s for s in STREAMS}


class HubSpotConnector:
    """Pulls contacts and engagement from one portal, each signal exactly once."""

    def __init__(self, settings: HubSpotClientSettings, *, api: HubSpotApi | None = None,
                 sleep: Callable[[float], None] = time.sleep, inbox: Any = None) -> None:
        self.settings = settings
        self.api = api or HubSpotApi(settings, sleep=sleep)
        self.inbox = inbox  # e.g. a WebhookInbox: contact ids to read first
        self.resolver = EmailResolver(self.api, settings.batch_size)
        self.last_plan: dict[str, dict[str, Any]] = {}
        self.last_skipped: dict[str, int] = {}

    def usage(self) -> ApiUsage:
        """Calls by endpoint since this connector was built, and the daily budget left."""
        return ApiUsage(calls=dict(self.api.budget.calls), remaining=self.api.budget.remaining())

    # -- the incremental cycle -------------------------------------------------------------
    def pull(self, cursors: Cursors, *, properties: Sequence[str], now: datetime,
             priority_ids: Sequence[str] = ()) -> Iterator[PullBatch]:
        """Contacts changed and engagement recorded since ``cursors``, batch by batch.

        The last batch carries the contacts cursor: engagement is read for the contacts
        of this cycle, so the contacts cursor only moves once that reading is done.
        """
        props = list(dict.fromkeys([*properties, *CONTACT_PROPS]))
        self.last_plan, reader = {}, self._reader()
        changed: dict[str, HubSpotContact] = {}
        contacts_cursor = KeysetCursor.load(cursors.get("contacts"), "contacts")
        drained = self.inbox.drain() if self.inbox is not None else []
        try:
            for page in named_contacts(self.api, [*drained, *priority_ids], properties=props,
                                       batch_size=self.settings.batch_size):
                yield self._contact_batch(page, changed)
        except BaseException:
            if drained:  # not read yet: the next pull asks again
                self.inbox.requeue(drained)
            raise
        since = contacts_cursor.since(_ms(self.settings.overlap))
        for page in changed_contacts(self.api, contacts_cursor, properties=props, since_ms=since,
                                     until_ms=None, page_size=self.settings.search_page_size,
                                     emitted=changed):
            yield self._contact_batch(page, changed)
        yield from self._deletions(cursors.get("deletions"), now)
        contacts = list(changed.values())
        if contacts:
            for stream in STREAMS:
                if not cursors.get(stream.name) or stream.wanted(contacts):
                    yield from self._stream(reader, stream, cursors.get(stream.name), contacts, now)
        self.last_skipped = dict(reader.skipped)
        if reader.skipped:
            log.info("hubspot.skipped", **{k.replace(" ", "_"): v for k, v in reader.skipped.items()})
        emitted = [(c.id, to_ms(c.updated_at)) for c in contacts]
        done = contacts_cursor.advance(emitted, _ms(self.settings.overlap), read_at=to_ms(now))
        yield PullBatch(cursors={"contacts": done.dump()})

    def _reader(self) -> Reader:
        return Reader(api=self.api, settings=self.settings, resolver=self.resolver)

    def _contact_batch(self, page: ContactPage, changed: dict[str, HubSpotContact]) -> PullBatch:
        for contact in page.contacts:
            changed[contact.id] = contact
            self.resolver.learn(contact.id, contact.properties)
        return PullBatch(contacts=page.contacts, merges=page.merges, deleted=page.deleted)

    def _deletions(self, raw: Mapping[str, Any] | None, now: datetime) -> Iterator[PullBatch]:
        """Archived contacts, scanned at most every ``deletion_scan_every``."""
        raw = raw or {}
        if to_ms(now) - int(raw.get("scanned_at", 0)) < _ms(self.settings.deletion_scan_every):
            return
        archived = archived_ids(self.api)
        reported = set(raw.get("reported") or ())
        yield PullBatch(deleted=[i for i in archived if i not in reported],
                        cursors={"deletions": {"scanned_at": to_ms(now), "reported": sorted(archived)}})

    def _stream(self, reader: Reader, stream: Stream, raw: Mapping[str, Any] | None,
                contacts: Sequence[HubSpotContact], now: datetime) -> Iterator[PullBatch]:
        if stream.shape == "keyset":
            cursor = KeysetCursor.load(raw, stream.name)
            yield from self.read_range(stream.name, raw, cursor.since(_ms(self.settings.overlap)),
                                       None, read_at=to_ms(now), reader=reader)
            return
        window = WindowCursor.load(raw, stream.name)
        mode, cost = self._plan(stream, window, contacts)
        self.last_plan[stream.name] = {"mode": mode, "per_contact_calls": cost,
                                       "window_calls_estimate": window.window_calls}
        log.info("hubspot.stream_plan", stream=stream.name, **self.last_plan[stream.name])
        if mode == "window":
            yield from self.read_range(stream.name, raw, window.since(_ms(self.settings.late_window)),
                                       None, reader=reader, measure=True)
            return
        reader.is_new = lambda key, ms: key not in window.ids
        pages = stream.read_for(reader, contacts, window.since(_ms(self.settings.late_window)))
        yield from self._emit(stream.name, window, pages, count_calls=False)

    def _plan(self, stream: Stream, window: WindowCursor,
              contacts: Sequence[HubSpotContact]) -> tuple[str, int | None]:
        if stream.read_for is None or stream.per_contact_cost is None:
            return "window", None
        cost = stream.per_contact_cost(contacts)
        if window.window_calls is not None and cost < window.window_calls:
            return "per_contact", cost
        return "window", cost

    # -- time ranges (incremental windows and backfill slices) ----------------------------
    def read_range(self, stream_name: str, raw_cursor: Mapping[str, Any] | None, since_ms: int,
                   until_ms: int | None, *, properties: Sequence[str] = (),
                   read_at: int | None = None, reader: Reader | None = None,
                   measure: bool = False) -> Iterator[PullBatch]:
        """Everything of one stream in ``[since_ms, until_ms)`` not emitted yet according to
        ``raw_cursor``; the last batch carries the stream's advanced cursor. ``measure``
        records the calls this read cost as the stream's window-cost estimate."""
        if stream_name == "contacts":
            yield from self._contact_range(raw_cursor, since_ms, until_ms, properties, read_at)
            return
        stream = STREAM_BY_NAME[stream_name]
        cursor = (KeysetCursor if stream.shape == "keyset" else WindowCursor).load(raw_cursor, stream_name)
        reader = reader or self._reader()
        reader.is_new = lambda key, ms: _is_new(cursor, key, ms)
        pages = stream.read(reader, since_ms, until_ms)
        yield from self._emit(stream_name, cursor, pages, count_calls=measure, read_at=read_at)

    def _contact_range(self, raw: Mapping[str, Any] | None, since_ms: int, until_ms: int | None,
                       properties: Sequence[str], read_at: int | None) -> Iterator[PullBatch]:
        cursor, emitted = KeysetCursor.load(raw, "contacts"), []
        props = list(dict.fromkeys([*properties, *CONTACT_PROPS]))
        for page in changed_contacts(self.api, cursor, properties=props, since_ms=since_ms,
                                     until_ms=until_ms, page_size=self.settings.search_page_size):
            emitted += [(c.id, to_ms(c.updated_at)) for c in page.contacts]
            yield self._contact_batch(page, {})
        done = cursor.advance(emitted, _ms(self.settings.overlap), read_at=read_at)
        yield PullBatch(cursors={"contacts": done.dump()})

    def _emit(self, name: str, cursor: KeysetCursor | WindowCursor, pages: Iterator,
              *, count_calls: bool, read_at: int | None = None) -> Iterator[PullBatch]:
        calls_before, emitted = self.api.budget.total(), []
        for items in pages:
            fresh = [it for it in items if _is_new(cursor, it.key, it.ms)]
            emitted += [(it.key, it.ms) for it in fresh]
            events = [e for it in fresh for e in it.events]
            if events:
                yield PullBatch(events=events)
        if isinstance(cursor, KeysetCursor):
            done = cursor.advance(emitted, _ms(self.settings.overlap), read_at=read_at)
        else:
            spent = self.api.budget.total() - calls_before if count_calls else None
            done = cursor.advance(emitted, _ms(self.settings.late_window), window_calls=spent)
        yield PullBatch(cursors={name: done.dump()})


def _is_new(cursor: KeysetCursor | WindowCursor, key: str, ms: int) -> bool:
    if isinstance(cursor, KeysetCursor):
        return cursor.is_new(key, ms)
    return key not in cursor.ids


def _ms(delta: Any) -> int:
    return int(delta.total_seconds() * 1000)
