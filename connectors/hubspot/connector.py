"""``HubSpotConnector``: the ``syncd.ports.HubSpotSource`` over HubSpot's APIs.

One cycle reads changed contacts first (1 call when nothing changed). Engagement is only
read when some contact changed, because HubSpot bumps a contact's ``lastmodifieddate``
whenever engagement is recorded for it. Each window stream then picks the cheaper of
reading its time window and asking per changed contact, by comparing the number of
per-contact calls with what its last window read cost (``last_plan`` shows the choice).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import structlog

from syncd.models import HubSpotContact, WriteResult
from syncd.ports import ApiUsage, Cursors, PullBatch
from syncd.readahead import ReadAhead

from .changed import ChangedContacts, RecentPairs
from .contacts import ContactPage, archived_ids, changed_contacts, listed_contacts, named_contacts
from .cursors import KeysetCursor, OwnWindow, WindowCursor
from .keyset import count_changed
from .resolver import EmailResolver
from .settings import HubSpotClientSettings
from .streams import CONTACT_PROPS, STREAMS, Reader, Stream
from .timeutil import to_ms
from .transport import HubSpotApi
from .writes import create_contacts, update_contacts

__all__ = ["HubSpotConnector"]

log = structlog.get_logger("syncd.hubspot")
STREAM_BY_NAME = {s.name: s for s in STREAMS}
LISTING_MIN_SEARCH_PAGES = 10
"""Below this many search pages of changed contacts, search is kept without asking more."""
OWN_WRITES_MAX = 100_000
"""Most own-write versions kept between two folds (about 12 MiB). Past it none are kept:
the next read reads those contacts again and the echo check recognises them by value, so
memory stays flat however many contacts one cycle writes; only such a burst costs calls."""


class HubSpotConnector:
    """Pulls contacts and engagement from one portal, each signal exactly once."""

    def __init__(self, settings: HubSpotClientSettings, *, api: HubSpotApi | None = None,
                 sleep: Callable[[float], None] = time.sleep, inbox: Any = None,
                 stored_emails: Callable[[Sequence[str]], Mapping[str, str]] | None = None) -> None:
        self.settings = settings
        self.api = api or HubSpotApi(settings, sleep=sleep)
        self.inbox = inbox  # e.g. a WebhookInbox: contact ids to read first
        self.resolver = EmailResolver(self.api, settings.batch_size, stored=stored_emails)
        self.last_plan: dict[str, dict[str, Any]] = {}
        self.last_skipped: dict[str, int] = {}
        self.own_writes: dict[str, int] = {}  # contact id → updatedAt (ms) of syncd's write, not yet in a cursor
        self._own_untracked = False  # past OWN_WRITES_MAX since the last fold: none kept

    def contact_properties(self) -> dict[str, dict[str, Any]]:
        """Every contact property the portal defines, by name (one call)."""
        return {p["name"]: p for p in self.api.contact_properties().get("results") or []
                if isinstance(p, dict) and p.get("name")}

    def lifecycle_stages(self, properties: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
        """The portal's ``lifecyclestage`` option values, in display order (from
        ``properties`` when the caller already read them)."""
        definition = (properties or {}).get("lifecyclestage") or self.api.contact_property("lifecyclestage")
        options = definition.get("options") or []
        ordered = sorted(options, key=lambda o: (o.get("displayOrder", 0), o.get("value", "")))
        return [o["value"] for o in ordered if not o.get("hidden")]

    def usage(self) -> ApiUsage:
        """Calls by endpoint since this connector was built, and the daily budget left."""
        return ApiUsage(calls=dict(self.api.budget.calls), remaining=self.api.budget.remaining())

    def update_contacts(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Batch-update contact properties (``{"id", "properties"}`` rows); one result per row.
        The version each write made is noted, for the contacts cursor (``fold_own_writes``),
        up to ``OWN_WRITES_MAX`` since the last fold."""
        if self._own_untracked:
            return update_contacts(self.api, rows)
        results = update_contacts(self.api, rows, versions=self.own_writes)
        if len(self.own_writes) > OWN_WRITES_MAX:
            self.own_writes, self._own_untracked = {}, True
            log.info("hubspot.own_writes_untracked", limit=OWN_WRITES_MAX,
                     effect="the next read reads these contacts again; the echo check recognises them")
        return results

    def _take_own_writes(self) -> dict[str, int]:
        """The own-write versions since the last fold, handed over once (none past the bound)."""
        taken, self.own_writes, self._own_untracked = self.own_writes, {}, False
        return taken

    def fold_own_writes(self, cursors: Cursors) -> dict[str, Any] | None:
        """The contacts cursor knowing syncd's own writes since the last fold (``None`` when
        there were none): the next read counts their time window instead of reading it."""
        versions = self._take_own_writes()
        if not versions:
            return None
        folded = KeysetCursor.load(cursors.get("contacts"), "contacts").with_own_writes(versions)
        return {"contacts": folded.dump()}

    def create_contacts(self, rows: Sequence[Mapping[str, Any]]) -> list[WriteResult]:
        """Batch-create contacts (``{"properties"}`` rows with an email); results keyed by email."""
        return create_contacts(self.api, rows)

    def owners(self) -> list[dict[str, Any]]:
        """The portal's active owners: ``id``, ``email``, ``firstName``, ``lastName``, ``userId``."""
        found, after = [], None
        while True:
            page = self.api.owners(after)
            found += [dict(o) for o in page.get("results") or []]
            after = ((page.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return found

    def backfill(self, cursor_store: Any, **kwargs: Any) -> dict[str, int]:
        """Read the portal's history into ``cursor_store`` slice by slice (see ``backfill``)."""
        from .backfill import run_backfill

        return run_backfill(self, cursor_store, **kwargs)

    # -- the incremental cycle -------------------------------------------------------------
    def pull(self, cursors: Cursors, *, properties: Sequence[str], now: datetime,
             priority_ids: Sequence[str] = ()) -> Iterator[PullBatch]:
        """Contacts changed and engagement recorded since ``cursors``, batch by batch.

        The last batch carries the contacts cursor: engagement is read for the contacts
        of this cycle, so the contacts cursor only moves once that reading is done.

        With ``stream_lanes`` the streams limited by the search rate (4 a second) are read on
        a lane of their own, beside the contacts and the other streams (the general 10-second
        window): the lane starts as soon as a contact has changed (the search streams are then
        wanted), or once the contacts are all read. Lanes off: the contacts, then every stream
        in registry order. Either way the same batches come.
        """
        props = list(dict.fromkeys([*properties, *CONTACT_PROPS]))
        self.last_plan, reader, search_reader = {}, self._reader(), self._reader()
        changed = self._changed(cursors)
        contacts_cursor = KeysetCursor.load(cursors.get("contacts"), "contacts").with_own_writes(
            self._take_own_writes())
        outcome = {"listed": False}
        go, abandoned = threading.Event(), threading.Event()  # the search lane may start / must not

        def contacts_then_general() -> Iterator[PullBatch]:
            try:
                for batch in self._contacts(contacts_cursor, props, changed, priority_ids, outcome):
                    yield batch
                    if changed:
                        go.set()
            except BaseException:
                abandoned.set()
                raise
            finally:
                go.set()
            yield from self._deletions(cursors.get("deletions"), now)
            yield from self._lane(reader, "general", cursors, changed, now)

        def search_lane() -> Iterator[PullBatch]:
            go.wait()
            if not abandoned.is_set():
                yield from self._lane(search_reader, "search", cursors, changed, now)

        with ReadAhead(contacts_then_general, search_lane, depth=2 if self.settings.stream_lanes else 0,
                       name="syncd-hubspot-lane") as batches:
            yield from batches
        for reason, n in search_reader.skipped.items():
            reader.skipped[reason] = reader.skipped.get(reason, 0) + n
        self.last_skipped = dict(reader.skipped)
        if reader.skipped:
            log.info("hubspot.skipped", **{k.replace(" ", "_"): v for k, v in reader.skipped.items()})
        done = contacts_cursor.advance(changed.emitted(), _ms(self.settings.overlap), read_at=to_ms(now))
        if outcome["listed"]:  # a listing is not in time order: what changed while it ran is read next time
            done = replace(done, ts=min(done.ts, to_ms(now)))
        yield PullBatch(cursors={"contacts": done.dump()})

    def _lane(self, reader: Reader, lane: str, cursors: Cursors, changed: ChangedContacts,
              now: datetime) -> Iterator[PullBatch]:
        """The streams of ``lane``, in registry order."""
        for stream in STREAMS:
            if stream.lane == lane:
                yield from self._stream(reader, stream, cursors.get(stream.name), changed, now)

    def _contacts(self, contacts_cursor: KeysetCursor, props: list[str], changed: ChangedContacts,
                  priority_ids: Sequence[str], outcome: dict[str, bool]) -> Iterator[PullBatch]:
        """The contacts of this pull: those named by webhooks (or the caller), then those
        changed since the cursor, by search or, when cheaper, by listing every contact
        (``outcome["listed"]``), then syncd's own-write windows that someone else touched."""
        named: dict[str, HubSpotContact] = {}  # read by id: the search below may meet them again
        drained = self.inbox.drain() if self.inbox is not None else []
        try:
            for page in named_contacts(self.api, [*drained, *priority_ids], properties=props,
                                       batch_size=self.settings.batch_size):
                named.update((c.id, c) for c in page.contacts)
                yield self._contact_batch(page, changed)
        except BaseException:
            if drained:  # not read yet: the next pull asks again
                self.inbox.requeue(drained)
            raise
        since = contacts_cursor.since(_ms(self.settings.overlap))
        windows = contacts_cursor.windows_from(since)
        totals: list[int] = []
        search = changed_contacts(self.api, contacts_cursor, properties=props, since_ms=since, until_ms=None,
                                  page_size=self.settings.search_page_size, emitted=named,
                                  skip=[(w.lo, w.hi) for w in windows], totals=totals)
        for number, page in enumerate(search):
            yield self._contact_batch(page, changed)
            if number == 0 and totals and self._listing_is_faster(totals[0]):
                search.close()
                outcome["listed"] = True
                first = {**named, **{c.id: c for c in page.contacts}}  # what the listing meets again
                for listed_page in listed_contacts(self.api, contacts_cursor, properties=props, since_ms=since,
                                                   emitted=first):
                    yield self._contact_batch(listed_page, changed)
                break
        for window in [] if outcome["listed"] else self._windows_to_read(contacts_cursor, windows, changed):
            for page in changed_contacts(self.api, contacts_cursor, properties=props, since_ms=window.lo,
                                         until_ms=window.hi + 1, page_size=self.settings.search_page_size,
                                         emitted=named):
                yield self._contact_batch(page, changed)

    def _listing_is_faster(self, changed_total: int) -> bool:
        """Whether listing every contact (100 a page under the general limit) takes less
        time than searching the ``changed_total`` changed ones (200 a page under the search
        limit) at the configured limits; decided once the first search page tells the total."""
        s = self.settings
        pages = -(-changed_total // s.search_page_size)
        if s.search_per_second is None or pages < LISTING_MIN_SEARCH_PAGES:
            return False
        portal = count_changed(self.api, "contacts", time_prop="lastmodifieddate", lo=0, hi=None)
        search_seconds = pages / s.search_per_second
        list_seconds = 0.0 if s.rate_limit_per_10s is None else -(-portal // 100) / (s.rate_limit_per_10s / 10)
        faster = list_seconds < search_seconds
        log.info("hubspot.contact_read_plan", changed=changed_total, portal=portal,
                 search_seconds=round(search_seconds, 1), list_seconds=round(list_seconds, 1),
                 mode="list" if faster else "search")
        return faster

    def _windows_to_read(self, cursor: KeysetCursor, windows: Sequence[OwnWindow],
                         changed: ChangedContacts) -> list[OwnWindow]:
        """The own-write windows whose count now differs from the versions known in them
        (after this read's changes): someone else changed a contact there, so read it."""
        if not windows:
            return []
        known = dict(cursor.seen)
        known.update(changed.emitted())
        out = [w for w in windows
               if count_changed(self.api, "contacts", time_prop="lastmodifieddate", lo=w.lo, hi=w.hi) != w.holds(known)]
        log.debug("hubspot.own_windows", counted=len(windows), read=len(out))
        return out

    def _changed(self, cursors: Cursors) -> ChangedContacts:
        """An empty summary of this pull's contacts: per-contact keys are kept up to what
        each stream's window last cost (beyond that its window is the cheaper read)."""
        caps = {}
        for stream in STREAMS:
            raw = cursors.get(stream.name) or {}
            caps[stream.name] = max([v for v in (raw.get("window_calls"), raw.get("sweep_calls"))
                                     if isinstance(v, int)], default=0)
        return ChangedContacts({s.name: s.per_contact for s in STREAMS if s.per_contact is not None},
                               caps, _ms(self.settings.overlap))

    def _reader(self) -> Reader:
        return Reader(api=self.api, settings=self.settings, resolver=self.resolver)

    def _contact_batch(self, page: ContactPage, changed: ChangedContacts | None) -> PullBatch:
        for contact in page.contacts:
            if changed is not None:
                changed.add(contact)
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
                contacts: ChangedContacts, now: datetime) -> Iterator[PullBatch]:
        if stream.shape == "keyset":
            if contacts or not raw:
                cursor = KeysetCursor.load(raw, stream.name)
                yield from self.read_range(stream.name, raw, cursor.since(_ms(self.settings.overlap)),
                                           None, read_at=to_ms(now), reader=reader)
            return
        window, now_ms = WindowCursor.load(raw, stream.name), to_ms(now)
        sweep = window.sweep_due(now_ms, _ms(self.settings.late_sweep_every))
        if raw and not (contacts and stream.wanted(contacts)) and not (sweep and window.pending):
            return
        mode, cost = self._plan(stream, window, contacts, sweep)
        self.last_plan[stream.name] = {"mode": mode, "sweep": sweep, "per_contact_calls": cost,
                                       "window_calls_estimate": window.sweep_calls if sweep else window.window_calls}
        log.info("hubspot.stream_plan", stream=stream.name, **self.last_plan[stream.name])
        since = window.since(_ms(self.settings.late_window if sweep else self.settings.overlap))
        reader.is_new = lambda key, ms: key not in window.ids
        pages = (stream.read(reader, since, None) if mode == "window"
                 else stream.read_for(reader, contacts.keys(stream.name) or [], since))
        late_ms = _ms(self.settings.late_window)

        def finish(emitted: list, spent: int) -> WindowCursor:
            return window.advance(emitted, late_ms, swept_at=now_ms if sweep else None,
                                  pending=not sweep, calls=spent if mode == "window" else None)
        yield from self._emit(stream.name, window, pages, finish)

    def _plan(self, stream: Stream, window: WindowCursor, contacts: ChangedContacts,
              sweep: bool) -> tuple[str, int | None]:
        # A sweep owed for earlier cycles must cover their contacts too: only a window can.
        if stream.read_for is None or stream.per_contact is None or not contacts \
                or (sweep and window.pending):
            return "window", None
        cost = contacts.cost(stream.name)
        estimate = window.sweep_calls if sweep else window.window_calls
        cheaper = estimate is not None and cost < estimate and contacts.keys(stream.name) is not None
        return ("per_contact", cost) if cheaper else ("window", cost)

    # -- time ranges (incremental windows and backfill slices) ----------------------------
    def read_range(self, stream_name: str, raw_cursor: Mapping[str, Any] | None, since_ms: int,
                   until_ms: int | None, *, properties: Sequence[str] = (),
                   read_at: int | None = None, reader: Reader | None = None) -> Iterator[PullBatch]:
        """Everything of one stream in ``[since_ms, until_ms)`` not emitted yet according to
        ``raw_cursor``; the last batch carries the stream's advanced cursor."""
        if stream_name == "contacts":
            yield from self._contact_range(raw_cursor, since_ms, until_ms, properties, read_at)
            return
        stream = STREAM_BY_NAME[stream_name]
        cursor = (KeysetCursor if stream.shape == "keyset" else WindowCursor).load(raw_cursor, stream_name)
        reader = reader or self._reader()
        reader.is_new = lambda key, ms: _is_new(cursor, key, ms)
        overlap_ms, late_ms = _ms(self.settings.overlap), _ms(self.settings.late_window)

        def finish(emitted: list, spent: int) -> KeysetCursor | WindowCursor:
            if isinstance(cursor, KeysetCursor):
                return cursor.advance(emitted, overlap_ms, read_at=read_at)
            return cursor.advance(emitted, late_ms)
        yield from self._emit(stream_name, cursor, stream.read(reader, since_ms, until_ms), finish)

    def _contact_range(self, raw: Mapping[str, Any] | None, since_ms: int, until_ms: int | None,
                       properties: Sequence[str], read_at: int | None) -> Iterator[PullBatch]:
        cursor, emitted = KeysetCursor.load(raw, "contacts"), RecentPairs(_ms(self.settings.overlap))
        props = list(dict.fromkeys([*properties, *CONTACT_PROPS]))
        for page in changed_contacts(self.api, cursor, properties=props, since_ms=since_ms,
                                     until_ms=until_ms, page_size=self.settings.search_page_size):
            for c in page.contacts:
                emitted.add(c.id, to_ms(c.updated_at))
            yield self._contact_batch(page, None)
        done = cursor.advance(emitted.items(), _ms(self.settings.overlap), read_at=read_at)
        yield PullBatch(cursors={"contacts": done.dump()})

    def _emit(self, name: str, cursor: KeysetCursor | WindowCursor, pages: Iterator,
              finish: Callable[[list, int], KeysetCursor | WindowCursor]) -> Iterator[PullBatch]:
        """Events not emitted yet, page by page; then the cursor ``finish`` computes from
        the emitted (key, ms) pairs (those it keeps: near the newest) and the calls the read
        cost."""
        calls_before = self.api.budget.thread_total()  # this stream's calls, not another lane's
        emitted = RecentPairs(_ms(self.settings.overlap) if isinstance(cursor, KeysetCursor)
                              else _ms(self.settings.late_window))
        for items in pages:
            fresh = [it for it in items if _is_new(cursor, it.key, it.ms)]
            for it in fresh:
                emitted.add(it.key, it.ms)
            events = [e for it in fresh for e in it.events]
            if events:
                yield PullBatch(events=events)
        yield PullBatch(cursors={name: finish(emitted.items(), self.api.budget.thread_total() - calls_before).dump()})


def _is_new(cursor: KeysetCursor | WindowCursor, key: str, ms: int) -> bool:
    if isinstance(cursor, KeysetCursor):
        return cursor.is_new(key, ms)
    return key not in cursor.ids


def _ms(delta: Any) -> int:
    return int(delta.total_seconds() * 1000)
