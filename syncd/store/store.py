"""``SqlStateStore``: everything syncd remembers between cycles, on SQLite or PostgreSQL.

Each public method is one transaction (``pull_writer``: the transactions its caller ends).
``save_pull_batch`` stores contacts, events and the stream cursors together, so a crash
never leaves a cursor ahead of the data it covers; contacts stay ``pending`` until their
Salesforce write is settled (done, rejected or in review), which makes the pending set the
durable queue between pull and write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Engine

from syncd.effects import (ChunkResult, FollowUp, HubSpotQueued, HubSpotSent, HubSpotWrite, HubSpotWritten, LifecycleUpdate, Link, MirrorPatch, MirrorStale, Reject, ReviewItem,
                           RoutingPositions, StageChange, Written)
from syncd.jsontext import json_dumps, json_loads
from syncd.models import EngagementEvent, EngagementKind, HubSpotContact, email_key, hubspot_text, stored_event
from syncd.ports import PullBatch
from syncd.store import tables as t
from syncd.store.engine import checked_migrate, create_engine, migrate
from syncd.store.guard import NoGuard, WriterGuard, open_guard
from syncd.store.mirror import MirrorQueries
from syncd.store.problems import location, store_problem
from syncd.store.offline import OfflineQueries
from syncd.store.sales import SalesQueries
from syncd.store.upsert import insert_new, upsert

__all__ = ["SqlStateStore", "open_store"]


def open_store(url: str, *, writer: bool = True, **lease_options: Any) -> SqlStateStore:
    """Open (and migrate) the store at ``url``: ``sqlite:///path`` or ``postgresql://...``.

    ``writer``: become its one writer (``syncd.store.guard``) or raise ``StoreHeld``;
    readers (status, explain) pass ``False``. Every commit is fenced by the guard. A writer
    checks the database first (``PRAGMA quick_check``); database and file-system failures
    become a ``StoreProblem`` naming the store and the way out."""
    where = location(url)
    engine = None
    try:
        engine = create_engine(url)
        guard = open_guard(engine, writer=writer, migrate=checked_migrate if writer else migrate,
                           **lease_options)
    except Exception as exc:
        if engine is not None:
            engine.dispose()
        raise (store_problem(exc, where=where, files=True) or exc) from None
    return SqlStateStore(engine, guard=guard)


class SqlStateStore(MirrorQueries, SalesQueries, OfflineQueries):
    """The ``StateStore`` port on SQLite or PostgreSQL (SQLAlchemy Core)."""

    def __init__(self, engine: Engine, *, guard: WriterGuard | None = None) -> None:
        self.engine = engine
        self.guard = guard or NoGuard()
        self._pulling = threading.local()  # the open pull transaction's connection, per thread

    @contextmanager
    def _reading(self) -> Iterator[Any]:
        """A connection to read on: this thread's open pull transaction (what it saved is
        read as stored, and no second connection with a page cache of its own is opened
        beside it), else one from the pool."""
        conn = getattr(self._pulling, "conn", None)
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.guard.release()
        self.engine.dispose()

    # -- cursors ---------------------------------------------------------------------
    def load_cursor(self, stream: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(t.cursors.c.value).where(t.cursors.c.stream == stream))

    def load_cursors(self, prefix: str = "") -> dict[str, dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.cursors.c.stream, t.cursors.c.value)
                                .where(t.cursors.c.stream.startswith(prefix)))
            return {stream: value for stream, value in rows}

    def save_cursor(self, stream: str, value: Mapping[str, Any], *, now: datetime | None = None) -> None:
        with self.engine.begin() as conn:
            self._save_cursors(conn, {stream: value}, now)

    def _save_cursors(self, conn, cursors: Mapping[str, Mapping[str, Any]], now: datetime | None) -> None:
        at = now or datetime.now(UTC)
        upsert(conn, t.cursors, [{"stream": s, "value": dict(v), "updated_at": at}
                                 for s, v in cursors.items()], ["stream"])

    # -- pulled data -----------------------------------------------------------------
    def save_pull_batch(self, batch: PullBatch, *, now: datetime, quiet: Collection[str] = ()) -> int:
        """Store a pulled batch and its cursors atomically; return the number of new events.
        Contacts in ``quiet`` (the echo of syncd's own writes) are stored without becoming
        pending."""
        with self._writer(now, staged=False) as writer:
            return writer.save(batch, quiet)

    def pull_writer(self, *, now: datetime) -> AbstractContextManager[_SqlPullWriter]:
        """Pulled batches in transactions the caller ends (see the ``StateStore`` port):
        nothing of a batch is held in memory until its transaction ends. While one is open,
        this thread's reads of contacts go through it (``_reading``). On SQLite a
        transaction's events go into the engagement table sorted by contact (``_Stage``)."""
        return self._writer(now, staged=True)

    @contextmanager
    def _writer(self, now: datetime, *, staged: bool) -> Iterator[_SqlPullWriter]:
        writer = _SqlPullWriter(self.engine, self._pulling,
                                lambda c, batch, quiet, stage: self._save_batch(c, batch, now, quiet, stage),
                                staged=staged)
        try:
            yield writer
        finally:
            writer.commit()

    def _save_batch(self, conn, batch: PullBatch, now: datetime, quiet: Collection[str],
                    stage: _Stage | None) -> int:
        rows = [_contact_row(c, now) for c in batch.contacts]
        if quiet:
            loud = [r for r in rows if r["hubspot_id"] not in quiet]
            hushed = [r for r in rows if r["hubspot_id"] in quiet]
            for r in hushed:
                del r["pending"]
        else:
            loud, hushed = rows, []
        upsert(conn, t.contacts, loud, ["hubspot_id"])
        upsert(conn, t.contacts, hushed, ["hubspot_id"])
        # a contact with a new event becomes pending: on SQLite once per transaction
        # (_finish_pull), elsewhere here
        if conn.dialect.name == "sqlite":
            if stage is None:
                new_events = _insert_events(conn, batch.events)
            else:
                new_events = stage.add(_event_tuples(conn, batch.events))
                if batch.merges or batch.deleted:  # they act on every event saved so far
                    new_events += stage.finish()
        else:
            with_new = _insert_new_events(conn, batch.events)
            new_events = len(with_new)
            # the contacts just stored as pending are pending already
            touched = sorted(set(with_new) - {r["hubspot_id"] for r in loud if r["pending"]})
            if touched:
                _set_pending(conn, touched)
        for old, new in batch.merges:
            self._merge(conn, old, new, now)
        for gone in batch.deleted:
            self._forget(conn, gone, now)
        if batch.cursors:
            self._save_cursors(conn, batch.cursors, now)
        return new_events

    def _merge(self, conn, old: str, new: str, now: datetime) -> None:
        conn.execute(update(t.contacts).where(t.contacts.c.hubspot_id == old)
                     .values(merged_into=new, pending=False))
        conn.execute(update(t.engagement).where(t.engagement.c.contact_id == old)
                     .values(contact_id=new))
        mapped = conn.execute(select(t.id_map).where(t.id_map.c.hubspot_id == old)).mappings().first()
        if mapped is not None:
            conn.execute(delete(t.id_map).where(t.id_map.c.hubspot_id == old))
            upsert(conn, t.id_map, [{**mapped, "hubspot_id": new, "updated_at": now}], ["hubspot_id"])
        conn.execute(t.id_map_history.insert().values(
            hubspot_id=old, event="merged", detail={"into": new}, at=now))
        conn.execute(update(t.contacts).where(t.contacts.c.hubspot_id == new).values(pending=True))

    def _forget(self, conn, hubspot_id: str, now: datetime) -> None:
        """An archived or GDPR-deleted contact: stop syncing it and purge its personal data."""
        conn.execute(update(t.contacts).where(t.contacts.c.hubspot_id == hubspot_id)
                     .values(archived=True, pending=False, properties={}, email_key=None))
        conn.execute(update(t.engagement).where(t.engagement.c.contact_id == hubspot_id)
                     .values(attributes={}))
        conn.execute(delete(t.review_queue).where(t.review_queue.c.hubspot_id == hubspot_id))
        conn.execute(t.id_map_history.insert().values(
            hubspot_id=hubspot_id, event="deleted", detail={}, at=now))

    def contact_properties(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored snapshot of these contacts' properties."""
        c = t.contacts.c
        with self._reading() as conn:
            return {h: p for h, p in conn.execute(select(c.hubspot_id, c.properties)
                                                  .where(c.hubspot_id.in_(list(hubspot_ids))))}

    def contact_ids_by_email(self, emails: Sequence[str]) -> dict[str, str]:
        """The live contact whose primary e-mail each address is (stripped, any case), for
        the addresses exactly one live stored contact has; the others are left out."""
        keys = sorted({k for e in emails if (k := email_key(e))})
        c, found, seen = t.contacts.c, {}, set()
        with self._reading() as conn:
            for start in range(0, len(keys), _EMAILS_PER_QUERY):
                part = keys[start:start + _EMAILS_PER_QUERY]
                for key, hubspot_id in conn.execute(select(c.email_key, c.hubspot_id).where(
                        c.email_key.in_(part), c.archived.is_(False), c.merged_into.is_(None))):
                    if key in seen:
                        found.pop(key, None)  # two live contacts: HubSpot decides
                    else:
                        seen.add(key)
                        found[key] = hubspot_id
        return found

    def pending_contacts(self, limit: int = 1000, *, after: str = "") -> list[HubSpotContact]:
        """Contacts still to sync, in id order, ``limit`` at a time after id ``after``."""
        c = t.contacts.c
        query = (select(c.hubspot_id, c.properties, c.updated_at)
                 .where(c.pending.is_(True), c.archived.is_(False), c.merged_into.is_(None),
                        c.hubspot_id > after)
                 .order_by(c.hubspot_id).limit(limit))
        with self.engine.connect() as conn:
            return [HubSpotContact(id=i, properties=p, updated_at=u)
                    for i, p, u in conn.execute(query)]

    def count_pending(self) -> int:
        c = t.contacts.c
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).where(
                c.pending.is_(True), c.archived.is_(False), c.merged_into.is_(None))) or 0

    def mark_due_for_review(self, now: datetime) -> int:
        """Put contacts whose score or intent may have changed by time alone back in the
        pending set (their ``next_review_at`` has come); return how many."""
        lc, c = t.lifecycle.c, t.contacts.c
        due = select(lc.hubspot_id).where(lc.next_review_at <= now)
        with self.engine.begin() as conn:
            result = conn.execute(update(t.contacts).where(
                c.hubspot_id.in_(due), c.pending.is_(False), c.archived.is_(False),
                c.merged_into.is_(None)).values(pending=True))
            return result.rowcount or 0

    def events_for(self, contact_ids: Sequence[str]) -> dict[str, list[EngagementEvent]]:
        e = t.engagement.c
        out: dict[str, list[EngagementEvent]] = {cid: [] for cid in contact_ids}
        kinds, event = _KINDS, EngagementEvent
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                self._sqlite_events_for(conn, contact_ids, out)
                return out
            for start in range(0, len(contact_ids), 5000):
                rows = conn.execute(select(e.id, e.contact_id, e.kind, e.occurred_at, e.attributes)
                                    .where(e.contact_id.in_(contact_ids[start:start + 5000]))
                                    .order_by(e.occurred_at, e.id))
                for eid, cid, kind, at, attrs in rows:
                    out[cid].append(event(id=eid, contact_id=cid, kind=kinds[kind], occurred_at=at,
                                          attributes=attrs))
        return out

    @staticmethod
    def _sqlite_events_for(conn: Any, contact_ids: Sequence[str], out: dict[str, list[EngagementEvent]]) -> None:
        """``events_for`` on SQLite: the same query on the driver's own cursor (no row
        handling of SQLAlchemy's per event), each value read as its column's type reads it."""
        e, dialect = t.engagement.c, conn.dialect
        when = e.occurred_at.type.dialect_impl(dialect).result_processor(dialect, None)
        kinds, make = _KINDS, stored_event
        # Events share their attributes' text (a campaign's sends and deliveries, a page's
        # views): each text is decoded once and its value shared by those events (nothing
        # changes an event's attributes), up to _SHARED_ATTRIBUTES texts a call.
        shared: dict[str, Any] = {}
        cursor = conn.connection.driver_connection.cursor()
        try:
            for start in range(0, len(contact_ids), 5000):
                ids = tuple(contact_ids[start:start + 5000])
                cursor.execute(f"SELECT {_EVENT_COLUMNS} FROM engagement "
                               f"WHERE contact_id IN ({', '.join('?' * len(ids))}) ORDER BY occurred_at, id", ids)
                for eid, cid, kind, at, attrs in cursor:
                    value = shared.get(attrs)
                    if value is None:
                        value = json_loads(attrs)  # the engine's JSON
                        if len(shared) < _SHARED_ATTRIBUTES:
                            shared[attrs] = value
                    out[cid].append(make(eid, cid, kinds[kind], when(at), value))
        finally:
            cursor.close()

    def contact(self, hubspot_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.contacts).where(t.contacts.c.hubspot_id == hubspot_id))
            found = row.mappings().first()
            return dict(found) if found else None

    def find_contact_by_email(self, email: str) -> str | None:
        """The HubSpot id of the live contact with this email (case-insensitive), if any."""
        wanted = email.strip().lower()
        c = t.contacts.c
        with self.engine.connect() as conn:
            for hid, props in conn.execute(select(c.hubspot_id, c.properties)
                                           .where(c.archived.is_(False), c.merged_into.is_(None))):
                if (props.get("email") or "").strip().lower() == wanted:
                    return hid
        return None

    # -- Salesforce side -------------------------------------------------------------
    def id_map(self, hubspot_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """HubSpot id → (Salesforce object, record id) for the ids already linked."""
        m = t.id_map.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(m.hubspot_id, m.sf_object, m.sf_id)
                                .where(m.hubspot_id.in_(list(hubspot_ids))))
            return {h: (o, i) for h, o, i in rows}

    def record_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        r = t.record_state.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.record_state).where(r.hubspot_id.in_(list(hubspot_ids))))
            return {row["hubspot_id"]: dict(row) for row in rows.mappings()}

    def hubspot_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Per person: ``{"properties": what syncd last wrote to HubSpot, "written_at"}``."""
        h = t.hubspot_written.c
        with self._reading() as conn:
            rows = conn.execute(select(t.hubspot_written).where(h.hubspot_id.in_(list(hubspot_ids))))
            return {row["hubspot_id"]: dict(row) for row in rows.mappings()}

    def hubspot_outbox(self, *, after: str = "", limit: int = 1000, clears: bool | None = None) -> list[HubSpotWrite]:
        """HubSpot writes waiting to be sent, by contact id after ``after``; ``clears``: only
        those that still need their clear request (True) or only those that do not (False)."""
        o = t.hubspot_outbox.c
        query = select(t.hubspot_outbox).where(o.hubspot_id > after)
        if clears is not None:
            query = query.where(o.needs_clear == clears)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(o.hubspot_id).limit(limit)).mappings().all()
        return [HubSpotWrite(hubspot_id=r["hubspot_id"], properties=r["properties"],
                             clear_first=tuple(r["clear_first"]), old=r["old"], why=r["why"]) for r in rows]

    def lifecycle_states(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        lc = t.lifecycle.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(lc.hubspot_id, lc.state).where(lc.hubspot_id.in_(list(hubspot_ids))))
            return {h: s for h, s in rows}

    def stage_history(self, hubspot_id: str) -> list[dict[str, Any]]:
        sh = t.stage_history.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.stage_history).where(sh.hubspot_id == hubspot_id)
                                .order_by(sh.seq))
            return [dict(r) for r in rows.mappings()]

    def save_writes_in_flight(self, writes: Mapping[str, Mapping[str, Any]], *, run_id: str,
                              now: datetime) -> None:
        rows = [{"hubspot_id": h, "writes": dict(entry), "run_id": run_id, "started_at": now}
                for h, entry in writes.items()]
        with self.engine.begin() as conn:
            upsert(conn, t.writes_in_flight, rows, ["hubspot_id"])

    def writes_in_flight(self, hubspot_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        w = t.writes_in_flight.c
        with self.engine.connect() as conn:
            return {h: e for h, e in conn.execute(select(w.hubspot_id, w.writes)
                                                  .where(w.hubspot_id.in_(list(hubspot_ids))))}

    def commit_chunk(self, result: ChunkResult, *, now: datetime) -> None:
        """Keep a chunk's facts and take its settled people out of the pending set, in one
        transaction: a crash leaves either all of it or none."""
        unknown = sorted({type(f).__name__ for f in result.facts if type(f) not in _FACT_TABLES})
        if unknown:
            raise TypeError(f"the state store does not keep facts of type {', '.join(unknown)}")
        with self.engine.begin() as conn:
            for kind, (table, row, mode) in _FACT_TABLES.items():
                rows = [r for f in result.of(kind) for r in _as_rows(row(f, now))]
                if not rows:
                    continue
                if mode == "patch":
                    self._patch_mirror(conn, result.of(kind), now)
                elif mode == "stale":
                    conn.execute(update(t.sf_people).where(t.sf_people.c.sf_id.in_([r["sf_id"] for r in rows]))
                                 .values(deleted=True, updated_at=now))
                elif mode == "insert":
                    conn.execute(table.insert(), rows)
                elif mode == "sent":
                    self._outbox_sent(conn, result.of(kind))
                else:  # upsert on the key columns; the last fact for a key wins
                    keys = (mode,) if isinstance(mode, str) else mode
                    upsert(conn, table, list({tuple(r[k] for k in keys): r for r in rows}.values()), list(keys))
            if written := result.of(HubSpotWritten):
                self._take_written(conn, written)
            ids = list(result.settled)
            for start in range(0, len(ids), 5000):
                conn.execute(update(t.contacts).where(t.contacts.c.hubspot_id.in_(ids[start:start + 5000]))
                             .values(pending=False))
            done = list(result.accounted_for)
            for start in range(0, len(done), 5000):
                conn.execute(delete(t.writes_in_flight).where(
                    t.writes_in_flight.c.hubspot_id.in_(done[start:start + 5000])))

    @staticmethod
    def _outbox_sent(conn: Any, facts: Sequence[HubSpotSent]) -> None:
        o = t.hubspot_outbox.c
        cleared = [f.hubspot_id for f in facts if f.cleared]
        done = [f.hubspot_id for f in facts if not f.cleared]
        for start in range(0, len(cleared), 5000):
            conn.execute(update(t.hubspot_outbox).where(o.hubspot_id.in_(cleared[start:start + 5000]))
                         .values(clear_first=[], needs_clear=False))
        for start in range(0, len(done), 5000):
            conn.execute(t.hubspot_outbox.delete().where(o.hubspot_id.in_(done[start:start + 5000])))

    @staticmethod
    def _take_written(conn: Any, facts: Sequence[HubSpotWritten]) -> None:
        """The stored contacts take what syncd wrote: HubSpot holds it now."""
        by_id = {f.hubspot_id: {k: hubspot_text(v) for k, v in f.properties.items()} for f in facts}
        if conn.dialect.name == "sqlite":
            # SQLite merges each contact's JSON itself (``json_patch``; every value is text,
            # never null, so no key is removed): no read and no decode/encode here
            conn.exec_driver_sql("UPDATE contacts SET properties = json_patch(properties, ?) WHERE hubspot_id = ?",
                                 [(json_dumps(props), hid) for hid, props in by_id.items()])
            return
        c = t.contacts.c
        rows = conn.execute(select(c.hubspot_id, c.properties).where(c.hubspot_id.in_(list(by_id)))).all()
        params = [{"hid": hid, "props": {**(props or {}), **by_id[hid]}} for hid, props in rows]
        if params:
            conn.execute(update(t.contacts).where(c.hubspot_id == bindparam("hid"))
                         .values(properties=bindparam("props")), params)

    def review_items(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(t.review_queue)).mappings()]

    # -- runs ------------------------------------------------------------------------
    def start_run(self, run_id: str, *, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(t.runs.insert().values(run_id=run_id, started_at=now, status="running",
                                                summary={}))

    def finish_run(self, run_id: str, *, now: datetime, status: str, summary: Mapping[str, Any],
                   error: str | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(t.runs).where(t.runs.c.run_id == run_id).values(
                finished_at=now, status=status, summary=dict(summary), error=error))

    def last_runs(self, limit: int = 10) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.runs).order_by(t.runs.c.started_at.desc()).limit(limit))
            return [dict(r) for r in rows.mappings()]

    def counts(self) -> dict[str, int]:
        """Row counts for ``syncd status``."""
        with self.engine.connect() as conn:
            return {name: conn.scalar(select(func.count()).select_from(getattr(t, name))) or 0
                    for name in ("contacts", "engagement", "id_map", "review_queue", "rejects")}


class _SqlPullWriter:
    """``pull_writer``'s handle: the first ``save`` after a ``commit`` takes a connection
    and opens a transaction on it (named in ``pulling`` for this thread's reads); ``commit``
    ends it and gives the connection back; a failed ``save`` rolls it back."""

    def __init__(self, engine: Engine, pulling: threading.local,
                 save: Callable[[Any, PullBatch, Collection[str], _Stage | None], int], *,
                 staged: bool) -> None:
        self._engine, self._pulling, self._save, self._staged = engine, pulling, save, staged
        self._conn: Any = None
        self._stage: _Stage | None = None

    def save(self, batch: PullBatch, quiet: Collection[str]) -> int:
        """Add ``batch`` to the open transaction (opening one first); the count of new events
        stored at once (a staged transaction stores some of its events later)."""
        if self._conn is None:
            conn = self._engine.connect()
            try:
                self._last_event = _begin_pull(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = self._pulling.conn = conn
            self._stage = _Stage(conn) if self._staged and conn.dialect.name == "sqlite" else None
        try:
            return self._save(self._conn, batch, quiet, self._stage)
        except BaseException:
            self._end(keep=False)
            raise

    def commit(self) -> int:
        """End the open transaction, if any, keeping what it saved; the count of new events
        that only its end stored."""
        return self._end(keep=True)

    def _end(self, *, keep: bool) -> int:
        conn, self._conn = self._conn, None
        stage, self._stage = self._stage, None
        if conn is None:
            return 0
        self._pulling.conn = None
        stored = 0
        try:
            if keep:
                stored = stage.finish() if stage is not None else 0
                _finish_pull(conn, self._last_event)
                conn.commit()
            else:
                conn.rollback()
        finally:  # closing rolls back what was not committed
            _release_pull(conn)
            conn.close()
        return stored


# A pull transaction commits without waiting for the disk: SQLite's WAL is written in order
# and the next commit that does wait (a chunk's, before and after Salesforce is written)
# makes every earlier one durable with it, so a power cut can lose only the last pull
# transactions, with the cursors they moved, and the next cycle pulls them again. SQLite:
# ``synchronous=NORMAL`` until the connection goes back to the pool; PostgreSQL:
# ``synchronous_commit`` off for the transaction.
def _begin_pull(conn: Any) -> int:
    """Open a pull transaction on ``conn``; on SQLite return the last event row before it
    (the rows after it are the events it adds)."""
    if conn.dialect.name != "sqlite":
        conn.begin()
        conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        return 0
    _synchronous(conn, "NORMAL")
    conn.begin()
    return conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM engagement").scalar()


def _finish_pull(conn: Any, last_event: int) -> None:
    """Just before a pull transaction commits, on SQLite: put every contact with an event
    stored after row ``last_event`` in the pending set, in one statement (a contact already
    there is not rewritten; elsewhere ``_save_batch`` does it batch by batch)."""
    if conn.dialect.name == "sqlite":
        # "+pending": look each contact up by id, not every contact that is not pending
        conn.exec_driver_sql("UPDATE contacts SET pending = 1 WHERE +pending = 0 AND hubspot_id IN "
                             "(SELECT contact_id FROM engagement WHERE rowid > ?)", (last_event,))


def _release_pull(conn: Any) -> None:
    """SQLite: the connection waits for the disk again before it goes back to the pool; one
    whose setting cannot be put back is dropped instead. Never raises, so the transaction's
    own error is the one reported."""
    if conn.dialect.name == "sqlite":
        try:
            _synchronous(conn, "FULL")
        except Exception:  # noqa: BLE001 - dropping the connection is the answer
            conn.invalidate()


def _synchronous(conn: Any, level: str) -> None:
    conn.connection.driver_connection.execute(f"PRAGMA synchronous={level}")


# How each fact of a chunk is kept: (table, row builder, "insert", "stale" or the upsert key).
_FOLLOW_UP_COLUMNS = ("hubspot_id", "seq", "key", "owner_id", "rule", "reason", "crossing", "started_at",
                      "due_at", "sf_id", "task_id", "status", "touched_at", "breached_at")


def _as_rows(built: dict[str, Any] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    return built if isinstance(built, list) else [built]


_FACT_TABLES: dict[type, tuple[Any, Callable[[Any, datetime], Any], str | tuple[str, ...]]] = {
    Link: (t.id_map, lambda f, now: {"hubspot_id": f.hubspot_id, "sf_object": f.sf_object,
                                     "sf_id": f.sf_id, "matched_by": f.matched_by, "updated_at": now},
           "hubspot_id"),
    Written: (t.record_state, lambda f, now: {"hubspot_id": f.hubspot_id, "sf_object": f.sf_object,
                                              "sf_id": f.sf_id, "hash": f.digest, "fields": dict(f.fields),
                                              "written_at": now}, "hubspot_id"),
    LifecycleUpdate: (t.lifecycle, lambda f, now: {"hubspot_id": f.hubspot_id, "stage": f.stage,
                                                   "state": dict(f.state), "next_review_at": f.next_review_at,
                                                   "updated_at": now}, "hubspot_id"),
    StageChange: (t.stage_history, lambda f, now: {"hubspot_id": f.hubspot_id, "from_stage": f.from_stage,
                                                   "to_stage": f.to_stage, "at": f.at, "rule": f.rule,
                                                   "reason": f.reason, "evidence": dict(f.evidence),
                                                   "run_id": f.run_id}, "insert"),
    Reject: (t.rejects, lambda f, now: {"run_id": f.run_id, "hubspot_id": f.hubspot_id, "sf_object": f.sf_object,
                                        "code": f.code, "message": f.message, "at": f.at}, "insert"),
    HubSpotWritten: (t.hubspot_written, lambda f, now: {"hubspot_id": f.hubspot_id,
                                                       "properties": dict(f.properties), "written_at": now},
                     "hubspot_id"),
    HubSpotQueued: (t.hubspot_outbox, lambda f, now: {"hubspot_id": f.hubspot_id,
                                                      "properties": dict(f.write.properties),
                                                      "clear_first": list(f.write.clear_first),
                                                      "needs_clear": bool(f.write.clear_first),
                                                      "old": dict(f.write.old), "why": dict(f.write.why),
                                                      "queued_at": now}, "hubspot_id"),
    HubSpotSent: (t.hubspot_outbox, lambda f, now: {"hubspot_id": f.hubspot_id}, "sent"),
    FollowUp: (t.follow_ups, lambda f, now: {k: getattr(f, k) for k in _FOLLOW_UP_COLUMNS},
               ("hubspot_id", "seq")),
    RoutingPositions: (t.routing_positions, lambda f, now: [{"pool": pool, "position": pos, "updated_at": now}
                                                             for pool, pos in f.positions.items()], "pool"),
    MirrorPatch: (t.sf_people, lambda f, now: {"sf_id": f.sf_id}, "patch"),
    MirrorStale: (t.sf_people, lambda f, now: {"sf_id": f.sf_id}, "stale"),
    ReviewItem: (t.review_queue, lambda f, now: {"hubspot_id": f.hubspot_id, "reason": f.reason,
                                                 "candidates": list(f.candidates), "created_at": now},
                 "hubspot_id"),
}


_EMAILS_PER_QUERY = 1000
_SHARED_ATTRIBUTES = 4096
_KINDS = {k.value: k for k in EngagementKind}


def _set_pending(conn: Any, hubspot_ids: Sequence[str]) -> None:
    """Put these contacts in the pending set; a contact already there is not rewritten."""
    c = t.contacts.c
    conn.execute(update(t.contacts).where(c.hubspot_id == bindparam("touched"), c.pending.is_(False))
                 .values(pending=True), [{"touched": i} for i in hubspot_ids])


def _contact_row(contact: HubSpotContact, now: datetime) -> dict[str, Any]:
    return {"hubspot_id": contact.id, "properties": dict(contact.properties),
            "updated_at": contact.updated_at, "archived": contact.archived, "merged_into": None,
            "pending": not contact.archived, "pulled_at": now,
            "email_key": None if contact.archived else email_key(contact.properties.get("email"))}


_KIND_VALUES = {k: k.value for k in EngagementKind}  # a dict look-up instead of the enum's property
_EVENT_COLUMNS = "id, contact_id, kind, occurred_at, attributes"  # the order of _event_tuples


def _insert_new_events(conn: Any, events: Sequence[EngagementEvent]) -> list[str]:
    """Store the events whose id is new (an id given twice keeps its last event); return
    the contact of each new one."""
    return insert_new(conn, t.engagement, [_event_row(e) for e in events], "id", "contact_id")


def _insert_events(conn: Any, events: Sequence[EngagementEvent]) -> int:
    """SQLite: store the events whose id is new; return how many were new (an id given twice
    keeps its last event)."""
    if not events:
        return 0
    return conn.exec_driver_sql(
        f"INSERT INTO engagement ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
        _event_tuples(conn, events)).rowcount


class _Stage:
    """SQLite: a pull transaction's events on their way into the engagement table, sorted by
    contact. The table's two indexes (by id, by contact) take each event at a random place:
    stored page by page, a page of each index is read and written again and again once they
    outgrow the page cache. Here the events wait in a table of the connection's own, without
    an index; every ``ROUND_ROWS`` of them are sorted by contact into a second one, and from
    there go into the engagement table a slice per saved batch (``add``), so no save waits for
    a whole round while the next pages are being read; ``finish`` stores what is left (at the
    commit, or before a merge or deletion acts on the events). The index by contact is then
    written in order and each contact's events lie together for the chunks' read-back
    (``bench/bench_store.py``). An id given twice keeps the event saved first, as storing each
    batch in turn would."""

    ROUND_ROWS = 50_000  # staged events that make a round
    SLICE_ROWS = 5_000  # at least this many stored per saved batch while a round is under way,
    PER_EVENT = 8  # and this many per event of the batch (a round ends before the next one fills)

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self._staged = 0  # events staged in this transaction: rows 1…staged of temp.pull_events
        self._sorted = 0  # of them, those sorted into a round
        self._round = 0  # rows of the round (temp.pull_order, in contact order)
        self._merged = 0  # of them, those stored
        self._ready = False

    def add(self, rows: Sequence[tuple[Any, ...]]) -> int:
        """Stage ``rows`` (``_event_tuples``), then store a slice of the round under way,
        starting one once enough are staged; the count of new events stored."""
        sql = self._conn.exec_driver_sql
        if rows:
            if not self._ready:
                for table in ("pull_events", "pull_order"):
                    sql(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({_EVENT_COLUMNS})")
                sql("DELETE FROM temp.pull_events")  # numbered from 1 in each transaction
                self._ready = True
            sql("INSERT INTO temp.pull_events VALUES (?, ?, ?, ?, ?)", rows)
            self._staged += len(rows)
        if self._merged == self._round and self._staged - self._sorted >= self.ROUND_ROWS:
            self._sort()
        return self._store(max(self.SLICE_ROWS, len(rows) * self.PER_EVENT))

    def finish(self) -> int:
        """Store every event staged and not stored yet; the count of new ones."""
        stored = self._store(None)
        if self._staged > self._sorted:
            self._sort()
            stored += self._store(None)
        if self._ready:
            self._conn.exec_driver_sql("DELETE FROM temp.pull_events")
            self._conn.exec_driver_sql("DELETE FROM temp.pull_order")
        self._staged = self._sorted = self._round = self._merged = 0
        self._ready = False
        return stored

    def _sort(self) -> None:
        """The staged events not sorted yet, in contact order, as the next round (the first
        event of an id only; the bare columns of a min() aggregate are those of its row)."""
        sql = self._conn.exec_driver_sql
        sql("DELETE FROM temp.pull_order")  # numbered from 1 in each round
        self._round = sql(
            f"INSERT INTO temp.pull_order SELECT {_EVENT_COLUMNS} FROM (SELECT {_EVENT_COLUMNS}, min(rowid) "
            "FROM temp.pull_events WHERE rowid > ? AND rowid <= ? GROUP BY id) ORDER BY contact_id",
            (self._sorted, self._staged)).rowcount
        self._sorted, self._merged = self._staged, 0

    def _store(self, rows: int | None) -> int:
        """Store the next ``rows`` of the round (None: the rest); the count of new events."""
        if self._merged >= self._round:
            return 0
        upto = self._round if rows is None else min(self._round, self._merged + rows)
        stored = self._conn.exec_driver_sql(
            f"INSERT INTO engagement ({_EVENT_COLUMNS}) SELECT {_EVENT_COLUMNS} FROM temp.pull_order "
            "WHERE rowid > ? AND rowid <= ? ORDER BY rowid ON CONFLICT (id) DO NOTHING",
            (self._merged, upto)).rowcount
        self._merged = upto
        return stored


def _event_tuples(conn: Any, events: Sequence[EngagementEvent]) -> list[tuple[Any, ...]]:
    """The rows of ``events`` (the last of an id given twice), each value written as its
    column's type writes it: a tuple straight from each event for the driver's executemany."""
    dialect = conn.dialect
    when = t.engagement.c.occurred_at.type.dialect_impl(dialect).bind_processor(dialect)
    kinds = _KIND_VALUES
    rows = {e.id: (e.id, e.contact_id, kinds[e.kind], when(e.occurred_at),
                   json_dumps(a if type(a := e.attributes) is dict else dict(a)))  # the engine's JSON
            for e in events}
    return list(rows.values())


def _event_row(event: EngagementEvent) -> dict[str, Any]:
    return {"id": event.id, "contact_id": event.contact_id, "kind": _KIND_VALUES[event.kind],
            "occurred_at": event.occurred_at, "attributes": dict(event.attributes)}
