"""The state store contract, run on the in-memory store, SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from typing import Any
from datetime import UTC, datetime, timedelta, timezone

import pytest

from syncd.effects import ChunkResult, LifecycleUpdate, Link, Reject, ReviewItem, StageChange, Written
from syncd.models import EngagementEvent, EngagementKind, HubSpotContact
from syncd.ports import PullBatch
from syncd.store import open_store
from syncd.testing import MemoryStateStore

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def contact(cid: str, email: str = "a@example.com", **props) -> HubSpotContact:
    return HubSpotContact(id=cid, properties={"email": email, **props}, updated_at=NOW)


def event(eid: str, cid: str, minutes: int = 0) -> EngagementEvent:
    return EngagementEvent(id=eid, contact_id=cid, kind=EngagementKind.EMAIL_OPEN,
                           occurred_at=NOW - timedelta(minutes=minutes), attributes={"campaign_id": 7})


@pytest.fixture
def store(any_store):
    """Every contract test runs on the in-memory store and on each SQL backend."""
    return any_store


def settle(store, ids) -> None:
    store.commit_chunk(ChunkResult(settled=tuple(ids)), now=NOW)


def test_migrations_are_idempotent(store_url):
    open_store(store_url).close()
    s = open_store(store_url)
    assert s.counts()["contacts"] == 0
    s.close()


def test_pull_batch_stores_contacts_events_and_cursors_together(store):
    batch = PullBatch(contacts=[contact("1"), contact("2", "b@example.com")],
                      events=[event("email:1", "1"), event("email:2", "1", 5)],
                      cursors={"contacts": {"after": "2026-11-01T12:00:00Z"}})
    assert store.save_pull_batch(batch, now=NOW) == 2
    assert [c.id for c in store.pending_contacts()] == ["1", "2"]
    assert store.load_cursor("contacts") == {"after": "2026-11-01T12:00:00Z"}
    events = store.events_for(["1", "2"])
    assert [e.id for e in events["1"]] == ["email:2", "email:1"]  # oldest first
    assert events["1"][0].occurred_at.tzinfo is not None
    assert events["2"] == []


def test_same_event_twice_is_stored_once(store):
    store.save_pull_batch(PullBatch(events=[event("e:1", "1")]), now=NOW)
    assert store.save_pull_batch(PullBatch(events=[event("e:1", "1"), event("e:2", "1")]), now=NOW) == 1
    assert store.counts()["engagement"] == 2


def test_settled_contacts_leave_pending_until_they_change_again(store):
    store.save_pull_batch(PullBatch(contacts=[contact("1"), contact("2")]), now=NOW)
    settle(store, ["1"])
    assert [c.id for c in store.pending_contacts()] == ["2"]
    store.save_pull_batch(PullBatch(events=[event("e:9", "1")]), now=NOW)
    assert [c.id for c in store.pending_contacts()] == ["1", "2"]
    assert store.count_pending() == 2


def test_only_a_new_event_makes_a_settled_contact_pending(store):
    """Events pulled again (windows overlap) change nothing, so they wake nobody; a new one
    does, also inside a pull transaction of several batches."""
    store.save_pull_batch(PullBatch(contacts=[contact("1"), contact("2", "b@example.com")],
                                    events=[event("e:1", "1")]), now=NOW)
    settle(store, ["1", "2"])
    store.save_pull_batch(PullBatch(events=[event("e:1", "1")]), now=NOW)
    assert store.pending_contacts() == []
    with store.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(events=[event("e:1", "1"), event("e:2", "2")]), ())
        writer.commit()
        writer.save(PullBatch(events=[event("e:3", "1")]), ())
        writer.save(PullBatch(events=[event("e:2", "2")]), ())
    assert [c.id for c in store.pending_contacts()] == ["1", "2"]


def test_pending_contacts_pages_by_id(store):
    store.save_pull_batch(PullBatch(contacts=[contact(str(i)) for i in range(10, 15)]), now=NOW)
    first = store.pending_contacts(2)
    rest = store.pending_contacts(10, after=first[-1].id)
    assert [c.id for c in first + rest] == ["10", "11", "12", "13", "14"]


def test_merge_moves_link_and_events_to_the_survivor(store):
    store.save_pull_batch(PullBatch(contacts=[contact("1"), contact("2")], events=[event("e:1", "1")]),
                          now=NOW)
    store.commit_chunk(ChunkResult(facts=(Link(hubspot_id="1", sf_object="Lead", sf_id="00Q000000000001AAA",
                                               matched_by="email"),), settled=("1", "2")), now=NOW)
    store.save_pull_batch(PullBatch(merges=[("1", "2")]), now=NOW)
    assert store.id_map(["1", "2"]) == {"2": ("Lead", "00Q000000000001AAA")}
    assert [e.id for e in store.events_for(["2"])["2"]] == ["e:1"]
    assert [c.id for c in store.pending_contacts()] == ["2"]


def test_deleted_contact_is_purged_and_no_longer_synced(store):
    store.save_pull_batch(PullBatch(contacts=[contact("1", "gone@example.com", phone="+15550100")],
                                    events=[event("e:1", "1")]), now=NOW)
    store.save_pull_batch(PullBatch(deleted=["1"]), now=NOW)
    assert store.pending_contacts() == []
    row = store.contact("1")
    assert row["properties"] == {} and row["archived"] is True
    assert store.events_for(["1"])["1"][0].attributes == {}
    assert store.find_contact_by_email("gone@example.com") is None


def test_outcome_rows_and_runs_round_trip(store):
    store.start_run("r1", now=NOW)
    store.commit_chunk(ChunkResult(facts=(
        Written(hubspot_id="1", sf_object="Lead", sf_id="00Q000000000001AAA", digest="h",
                fields={"Lead_Score__c": 40}),
        LifecycleUpdate(hubspot_id="1", stage="lead", state={"stage": "lead"}, next_review_at=None),
        StageChange(hubspot_id="1", from_stage=None, to_stage="lead", at=NOW, rule="new", reason="first seen",
                    evidence={}, run_id="r1"),
        Reject(run_id="r1", hubspot_id="2", sf_object="Lead", code="STRING_TOO_LONG",
               message="LastName too long", at=NOW),
        ReviewItem(hubspot_id="3", reason="2 Leads share this email", candidates=("a", "b")),
    )), now=NOW)
    store.finish_run("r1", now=NOW + timedelta(seconds=3), status="ok", summary={"pulled": 1})
    assert store.record_states(["1"])["1"]["fields"] == {"Lead_Score__c": 40}
    assert store.lifecycle_states(["1"]) == {"1": {"stage": "lead"}}
    assert store.stage_history("1")[0]["reason"] == "first seen"
    assert store.review_items()[0]["candidates"] == ["a", "b"]
    run = store.last_runs(1)[0]
    assert run["status"] == "ok" and run["summary"] == {"pulled": 1}
    assert run["finished_at"] - run["started_at"] == timedelta(seconds=3)
    assert store.counts()["rejects"] == 1


def test_naive_datetimes_are_refused(store):
    with pytest.raises(Exception, match="naive"):
        store.start_run("r2", now=datetime(2026, 1, 1))


def test_contacts_due_for_review_become_pending_again(store):
    store.save_pull_batch(PullBatch(contacts=[contact("1"), contact("2"), contact("3")]), now=NOW)
    settle(store, ["1", "2", "3"])
    store.commit_chunk(ChunkResult(facts=tuple(
        LifecycleUpdate(hubspot_id=h, stage="lead", state={}, next_review_at=at)
        for h, at in (("1", NOW - timedelta(minutes=1)), ("2", NOW + timedelta(days=3)), ("3", None)))), now=NOW)
    assert store.mark_due_for_review(NOW) == 1
    assert [c.id for c in store.pending_contacts()] == ["1"]
    assert store.mark_due_for_review(NOW) == 0  # already pending


def test_migrations_create_exactly_the_tables_the_code_uses(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from syncd.store.tables import metadata

    store = open_store(store_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    store.close()
    assert diff == []


def test_a_chunk_is_kept_whole_or_not_at_all(store):
    store.save_pull_batch(PullBatch(contacts=[contact("1"), contact("2")]), now=NOW)
    bad = ChunkResult(facts=(Link(hubspot_id="1", sf_object="Lead", sf_id="00Q000000000001AAA", matched_by="email"),
                             StageChange(hubspot_id="1", from_stage=None, to_stage="lead", at=datetime(2026, 1, 1),
                                         rule="new", reason="naive time", evidence={}, run_id="r")),
                      settled=("1",))
    with pytest.raises(Exception, match="naive"):
        store.commit_chunk(bad, now=NOW)
    assert store.id_map(["1"]) == {} and [c.id for c in store.pending_contacts()] == ["1", "2"]


def test_a_fact_the_store_cannot_keep_is_refused(store):
    with pytest.raises(TypeError, match="object"):
        store.commit_chunk(ChunkResult(facts=(object(),)), now=NOW)


def test_the_hubspot_outbox_keeps_the_latest_write_per_contact_until_it_is_sent(store):
    from syncd.effects import HubSpotQueued, HubSpotSent, HubSpotWrite, HubSpotWritten

    def queued(hid: str, clear: tuple[str, ...] = (), **props) -> HubSpotQueued:
        return HubSpotQueued(write=HubSpotWrite(hubspot_id=hid, properties=props, clear_first=clear,
                                                old={"syncd_score": "1"}, why={"syncd_score": "computed: score"}))

    store.save_pull_batch(PullBatch(contacts=[contact("1", lifecyclestage="customer"), contact("2")]), now=NOW)
    store.commit_chunk(ChunkResult(facts=(queued("1", ("lifecyclestage",), lifecyclestage="lead", syncd_score=40),
                                          queued("2", syncd_score=10))), now=NOW)
    store.commit_chunk(ChunkResult(facts=(queued("2", syncd_score=12),)), now=NOW)  # a later plan replaces
    assert [(w.hubspot_id, dict(w.properties)) for w in store.hubspot_outbox()] == [
        ("1", {"lifecyclestage": "lead", "syncd_score": 40}), ("2", {"syncd_score": 12})]
    assert [w.hubspot_id for w in store.hubspot_outbox(clears=True)] == ["1"]
    assert [w.hubspot_id for w in store.hubspot_outbox(clears=False)] == ["2"]
    assert store.hubspot_outbox(after="1")[0].why == {"syncd_score": "computed: score"}

    store.commit_chunk(ChunkResult(facts=(HubSpotSent(hubspot_id="1", cleared=True),)), now=NOW)
    assert store.hubspot_outbox(clears=True) == []
    assert store.hubspot_outbox(clears=False)[0].clear_first == ()  # its set is still to send

    store.commit_chunk(ChunkResult(facts=(HubSpotSent(hubspot_id="1"),
                                          HubSpotWritten(hubspot_id="1", properties={"lifecyclestage": "lead",
                                                                                     "syncd_score": 40}))), now=NOW)
    assert [w.hubspot_id for w in store.hubspot_outbox()] == ["2"]
    stored = {c.id: c for c in store.pending_contacts()}["1"]
    assert stored.properties["lifecyclestage"] == "lead" and stored.properties["syncd_score"] == "40"
    assert stored.properties["email"] == "a@example.com"  # the rest of the contact is kept


def _pull_script() -> list[tuple[PullBatch, set[str]]]:
    return [(PullBatch(contacts=[contact("1"), contact("2", "b@example.com"), contact("3", "c@example.com")]), set()),
            (PullBatch(events=[event("e:1", "1"), event("e:2", "2", 3), event("e:1", "1")],
                       cursors={"email_events": {"after": 1}}), set()),
            (PullBatch(contacts=[contact("2", "b2@example.com"), contact("4", "d@example.com")]), {"2"}),
            (PullBatch(merges=[("3", "4")], deleted=["1"], events=[event("e:3", "3", 1), event("e:2", "2", 3)]),
             set()),
            (PullBatch(cursors={"contacts": {"after": 2}}), set())]


def _state(store) -> tuple:
    ids = ["1", "2", "3", "4"]
    return ([c.id for c in store.pending_contacts()], store.counts(), store.load_cursors(),
            {i: [(e.id, e.contact_id, e.occurred_at, dict(e.attributes)) for e in evs]
             for i, evs in store.events_for(ids).items()},
            store.contact_properties(ids), store.id_map(ids))


def test_batches_in_one_transaction_store_what_they_store_one_by_one(store, tmp_path):
    one_by_one = MemoryStateStore() if isinstance(store, MemoryStateStore) else open_store(
        f"sqlite:///{tmp_path / 'one-by-one.db'}")
    new_each = [one_by_one.save_pull_batch(b, now=NOW, quiet=q) for b, q in _pull_script()]
    with store.pull_writer(now=NOW) as writer:
        assert sum(writer.save(b, q) for b, q in _pull_script()) + writer.commit() == sum(new_each) == 3
    assert _state(store) == _state(one_by_one)
    assert _state(store)[0] == ["2", "4"]  # 1 deleted, 3 merged into 4


def test_writes_in_flight_are_kept_until_a_chunk_with_their_person_is_committed(store):
    store.save_pull_batch(PullBatch(contacts=[contact("1"), contact("2", "b@example.com")]), now=NOW)
    writes = {"1": {"record": {"object": "Lead", "created": False, "sent": {"OwnerId": "005B", "Lead_Score__c": 42},
                               "old": {"OwnerId": "005A", "Lead_Score__c": None}}},
              "2": {"hubspot": {"sent": {"lifecyclestage": "lead"}, "old": {"lifecyclestage": None}}}}
    store.save_writes_in_flight(writes, run_id="r1", now=NOW)
    assert store.writes_in_flight(["1", "2", "3"]) == writes
    again = {"1": {"record": {**writes["1"]["record"], "sent": {"OwnerId": "005C"}}}}
    store.save_writes_in_flight(again, run_id="r2", now=NOW)  # a later run keeps its own entry
    assert store.writes_in_flight(["1"]) == again
    store.commit_chunk(ChunkResult(settled=(), accounted_for=("1",)), now=NOW)  # not settled, but accounted for
    assert store.writes_in_flight(["1", "2"]) == {"2": writes["2"]}
    assert [c.id for c in store.pending_contacts()] == ["1", "2"]


def test_events_read_back_as_they_were_pulled(store):
    """Every field of an event survives the store's bulk write and read, whatever zone its
    time was given in and whatever mapping holds its attributes."""
    from types import MappingProxyType

    paris = timezone(timedelta(hours=1))
    pulled = [EngagementEvent(id="forms:1", contact_id="1", kind=EngagementKind.FORM_SUBMISSION,
                              occurred_at=datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=paris),
                              attributes=MappingProxyType({"form_id": "f-1", "values": [1, None, "é"]})),
              EngagementEvent(id="events:2", contact_id="1", kind=EngagementKind.PAGE_VIEW,
                              occurred_at=datetime(2026, 3, 4, tzinfo=UTC), attributes={}),
              event("email:3", "2")]
    assert store.save_pull_batch(PullBatch(events=pulled), now=NOW) == 3
    got = store.events_for(["1", "2"])
    assert [(e.id, e.kind, e.occurred_at, dict(e.attributes)) for e in got["1"] + got["2"]] == [
        ("events:2", EngagementKind.PAGE_VIEW, datetime(2026, 3, 4, tzinfo=UTC), {}),
        ("forms:1", EngagementKind.FORM_SUBMISSION, datetime(2026, 3, 4, 4, 6, 7, 890123, tzinfo=UTC),
         {"form_id": "f-1", "values": [1, None, "é"]}),
        ("email:3", EngagementKind.EMAIL_OPEN, NOW, {"campaign_id": 7})]
    if not isinstance(store, MemoryStateStore):  # the SQL stores read every time back in UTC
        assert all(e.occurred_at.tzinfo is UTC for e in got["1"] + got["2"])
    with pytest.raises(AttributeError):  # read back as frozen as pulled
        got["1"][0].kind = EngagementKind.NOTE


def test_a_pull_writer_keeps_what_it_committed_and_drops_a_failed_transaction(tmp_path):
    """Committed transactions stay; a batch that fails to store takes the open transaction
    (its batches and their cursors) with it; what is saved is read back by the pull's own
    thread at once, by other readers once committed; leaving the block commits what was
    saved."""
    s = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    bad = PullBatch(contacts=[contact("9")], events=[event("e:9", "9")], cursors={"events": {"after": 9}})
    object.__setattr__(bad.events[0], "occurred_at", datetime(2026, 1, 1))  # naive: the store refuses it
    with pytest.raises(ValueError), s.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(contacts=[contact("1")], cursors={"contacts": {"after": 1}}), ())
        writer.commit()
        writer.save(PullBatch(contacts=[contact("2", "b@example.com")], cursors={"contacts": {"after": 2}}), ())
        assert s.contact_properties(["2"]) == {"2": {"email": "b@example.com"}}  # the pull's own reads see it
        elsewhere: list = []
        reader = threading.Thread(target=lambda: elsewhere.append(s.contact_properties(["2"])))
        reader.start()
        reader.join()
        assert elsewhere == [{}]  # other readers: not committed yet
        writer.save(bad, ())
    assert [c.id for c in s.pending_contacts()] == ["1"] and s.load_cursors() == {"contacts": {"after": 1}}
    with pytest.raises(ConnectionError), s.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(contacts=[contact("3", "c@example.com")], cursors={"contacts": {"after": 3}}), ())
        raise ConnectionError("HubSpot went away")  # the pull failed: what was saved is kept
    assert [c.id for c in s.pending_contacts()] == ["1", "3"] and s.load_cursors() == {"contacts": {"after": 3}}
    s.close()


def test_contacts_are_found_by_primary_email_when_exactly_one_live_contact_has_it(store):
    """The e-mail feeds ask the store for a recipient's contact before HubSpot: any case and
    spacing, live contacts only (not archived, not merged away), and no answer when two
    live contacts share the address (HubSpot then decides)."""
    store.save_pull_batch(PullBatch(contacts=[
        contact("1", " Ann@Example.com "), contact("2", "bob@example.com"), contact("3", "twin@example.com"),
        contact("4", "TWIN@example.com"), contact("5", "gone@example.com"), contact("6", "old@example.com"),
        contact("7", "new@example.com"), contact("8", "")]), now=NOW)
    store.save_pull_batch(PullBatch(deleted=["5"], merges=[("6", "7")]), now=NOW)
    found = store.contact_ids_by_email(["ann@example.com", "BOB@example.com ", "twin@example.com",
                                        "gone@example.com", "old@example.com", "nobody@example.com", ""])
    assert found == {"ann@example.com": "1", "bob@example.com": "2"}
    store.save_pull_batch(PullBatch(contacts=[contact("2", "robert@example.com")]), now=NOW)  # address changed
    assert store.contact_ids_by_email(["bob@example.com", "robert@example.com"]) == {"robert@example.com": "2"}


def test_the_email_key_migration_fills_contacts_stored_before_it(store_url):
    """A store upgraded from the version before the e-mail key finds its existing contacts."""
    import sqlalchemy as sa
    from alembic import command
    from alembic.config import Config

    from syncd.store.engine import _MIGRATIONS, create_engine

    engine = create_engine(store_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0009")
        conn.execute(sa.text("INSERT INTO contacts (hubspot_id, properties, updated_at, archived, pending, pulled_at) "
                             "VALUES ('1', :p1, :at, false, true, :at), ('2', :p2, :at, true, false, :at), "
                             "('3', :p3, :at, false, true, :at)"),
                     {"p1": '{"email": " Ann@Example.com"}', "p2": '{"email": "b@example.com"}',
                      "p3": '{"firstname": "No e-mail"}', "at": "2026-11-01 12:00:00.000000"})
    engine.dispose()
    s = open_store(store_url)
    try:
        assert s.contact_ids_by_email(["ann@example.com", "b@example.com"]) == {"ann@example.com": "1"}
    finally:
        s.close()


def test_pull_transactions_commit_without_waiting_for_the_disk_and_every_other_one_waits(store_url):
    """Pulled pages can be pulled again, so their commits do not wait for the disk; every
    other commit does (on SQLite with WAL it then makes the pull's frames before it durable
    too), including the next one on the connection the pull gave back to the pool."""
    import sqlalchemy as sa

    s = open_store(store_url)
    waited: list[tuple[str, bool]] = []

    def setting(conn) -> bool:
        if conn.dialect.name == "sqlite":
            return conn.connection.driver_connection.execute("PRAGMA synchronous").fetchone()[0] >= 2
        return conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"

    sa.event.listen(s.engine, "commit", lambda conn: waited.append(("commit", setting(conn))))
    s.save_cursor("before", {"at": 1}, now=NOW)
    with s.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(contacts=[contact("1")], events=[event("e:1", "1")],
                              cursors={"contacts": {"after": 1}}), ())
        writer.commit()
        writer.save(PullBatch(contacts=[contact("2", "b@example.com")], cursors={"contacts": {"after": 2}}), ())
    settle(s, ["1"])
    s.save_cursor("after", {"at": 2}, now=NOW)
    assert [w for _, w in waited] == [True, False, False, True, True]
    assert s.load_cursors()["contacts"] == {"after": 2} and [c.id for c in s.pending_contacts()] == ["2"]
    s.close()


def test_each_page_of_the_pending_contacts_and_of_the_hubspot_outbox_is_read_without_a_sort(tmp_path):
    """Chunks page through the pending contacts, the HubSpot flush through its outbox: each
    page is read in index order. A sort of the whole set for every page would make a cycle
    of N contacts cost N squared."""
    import sqlalchemy as sa

    s = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    pages: list[tuple[str, Any]] = []

    def paged(conn, cursor, sql, params, *_) -> None:
        if "LIMIT" in sql:
            pages.append((sql, params))

    sa.event.listen(s.engine, "before_cursor_execute", paged)
    s.pending_contacts(1000, after="5")
    for clears in (True, False, None):
        s.hubspot_outbox(after="5", limit=100, clears=clears)
    sa.event.remove(s.engine, "before_cursor_execute", paged)
    assert len(pages) == 4
    with s.engine.connect() as conn:
        for sql, params in pages:
            plan = " / ".join(r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
            assert "TEMP B-TREE" not in plan and "hubspot_id>?" in plan, (sql, plan)
    s.close()


def test_a_refused_pull_commit_keeps_its_own_error_and_the_pool_keeps_waiting_for_the_disk(tmp_path):
    """A pull transaction whose commit is refused (say, the writer lease was lost) reports
    that refusal, and the next commit on the store still waits for the disk."""
    import sqlalchemy as sa

    s = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    refused = []

    def refuse(conn) -> None:
        if not refused:
            refused.append(True)
            raise RuntimeError("the store was taken over")

    sa.event.listen(s.engine, "commit", refuse)
    with pytest.raises(RuntimeError, match="taken over"), s.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(contacts=[contact("1")], cursors={"contacts": {"after": 1}}), ())
    sa.event.remove(s.engine, "commit", refuse)
    with s.engine.connect() as conn:
        assert conn.connection.driver_connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert s.load_cursors() == {}
    s.close()


def test_events_read_back_carry_their_own_attributes_when_many_share_one_and_many_differ(store):
    """Events stored with the same attributes and with thousands of different ones read
    back with the values they were stored with."""
    def ev(i: int, attrs: dict) -> EngagementEvent:
        return EngagementEvent(id=f"e:{i}", contact_id=str(i % 7), kind=EngagementKind.PAGE_VIEW,
                               occurred_at=NOW - timedelta(seconds=i), attributes=attrs)

    stored = [ev(i, {"url": "https://x.example/pricing"} if i % 2 else {"url": f"https://x.example/{i}", "n": i})
              for i in range(10_000)]
    store.save_pull_batch(PullBatch(contacts=[contact(str(c)) for c in range(7)], events=stored), now=NOW)
    back = {e.id: dict(e.attributes) for evs in store.events_for([str(c) for c in range(7)]).values() for e in evs}
    assert back == {e.id: dict(e.attributes) for e in stored}


def test_an_event_saved_twice_in_one_transaction_keeps_its_first_contact(store):
    """Batches of one pull transaction store what they would store one by one: an event id
    seen again later in the transaction, now for another contact, stays with the first;
    the new events are counted once, by the saves and the commit together."""
    with store.pull_writer(now=NOW) as writer:
        new = writer.save(PullBatch(events=[event("e:1", "5"), event("e:2", "5")]), ())
        new += writer.save(PullBatch(events=[event("e:1", "2"), event("e:3", "2")]), ())
        new += writer.commit()
    assert new == 3
    assert {cid: [e.id for e in evs] for cid, evs in store.events_for(["2", "5"]).items()} == {
        "2": ["e:3"], "5": ["e:1", "e:2"]}


def test_a_merge_or_deletion_acts_on_the_events_saved_before_it_in_the_same_transaction(store):
    """A merge moves, and a deletion purges, the events saved earlier in the open pull
    transaction as it does those of earlier transactions."""
    with store.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(contacts=[contact("1"), contact("2", "b@example.com"), contact("3", "c@example.com")]), ())
        writer.save(PullBatch(events=[event("e:1", "1"), event("e:2", "2"), event("e:3", "3", 1)]), ())
        writer.save(PullBatch(merges=[("2", "3")], deleted=["1"]), ())
    got = store.events_for(["1", "2", "3"])
    assert [e.id for e in got["3"]] == ["e:3", "e:2"] and got["2"] == []
    assert [(e.id, dict(e.attributes)) for e in got["1"]] == [("e:1", {})]


def test_a_pull_transaction_stores_its_events_by_contact(tmp_path):
    """SQLite: the events of a pull transaction lie in the engagement table ordered by
    contact, whatever order the pages brought them in (each chunk then reads its contacts'
    events from a few places, and the index by contact is written in order)."""
    s = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    with s.pull_writer(now=NOW) as writer:
        for page in range(3):
            writer.save(PullBatch(events=[event(f"e:{page}:{c}", str(c), page) for c in (7, 3, 9, 1)]), ())
    with s.engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("SELECT contact_id FROM engagement ORDER BY rowid")]
    assert stored == sorted(stored) and len(stored) == 12
    s.close()


def test_a_failed_pull_transaction_leaves_none_of_its_events_for_the_next(tmp_path):
    """SQLite: the events a failed transaction had saved are gone with it; the next
    transaction on the same connection stores only its own."""
    s = open_store(f"sqlite:///{tmp_path / 'state.db'}")
    bad = PullBatch(events=[event("e:9", "9")])
    object.__setattr__(bad.events[0], "occurred_at", datetime(2026, 1, 1))  # naive: the store refuses it
    with pytest.raises(ValueError), s.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(events=[event("e:1", "1")]), ())
        writer.save(bad, ())
    with s.pull_writer(now=NOW) as writer:
        writer.save(PullBatch(events=[event("e:2", "2")]), ())
        assert writer.commit() == 1
    assert s.counts()["engagement"] == 1 and [c for c, evs in s.events_for(["1", "2"]).items() if evs] == ["2"]
    s.close()


def test_events_stored_in_rounds_during_a_transaction_are_those_stored_batch_by_batch(tmp_path, monkeypatch):
    """SQLite, with rounds of a few events: a transaction's events go into the engagement
    table in sorted rounds, slice by slice as batches are saved (some before the commit),
    and the table ends as storing each batch in its own transaction leaves it, whatever the
    repeats (within a batch, across rounds, for another contact), merges and deletions."""
    monkeypatch.setattr("syncd.store.store._Stage.ROUND_ROWS", 5)
    monkeypatch.setattr("syncd.store.store._Stage.SLICE_ROWS", 3)
    monkeypatch.setattr("syncd.store.store._Stage.PER_EVENT", 0)
    people = [contact(str(c), f"{c}@example.com") for c in (9, 2, 7, 4, 1, 8, 3)]
    batches = [PullBatch(contacts=people)]
    for page in range(12):
        batches.append(PullBatch(events=[event(f"e:{(page * 5 + k) % 23}", str((page * 3 + k * 5) % 10), page)
                                         for k in range(4)]))
        if page == 5:
            batches.append(PullBatch(merges=[("7", "4")]))
        if page == 8:
            batches.append(PullBatch(deleted=["2"]))
    one_by_one = open_store(f"sqlite:///{tmp_path / 'one.db'}")
    new_each = sum(one_by_one.save_pull_batch(b, now=NOW) for b in batches)
    s = open_store(f"sqlite:///{tmp_path / 'rounds.db'}")
    with s.pull_writer(now=NOW) as writer:
        during = sum(writer.save(b, ()) for b in batches)
        at_commit = writer.commit()
    assert during > 0 and during + at_commit == new_each == 23
    ids = [str(c) for c in range(10)]
    assert {c: [(e.id, e.occurred_at, dict(e.attributes)) for e in evs] for c, evs in s.events_for(ids).items()} == {
        c: [(e.id, e.occurred_at, dict(e.attributes)) for e in evs] for c, evs in one_by_one.events_for(ids).items()}
    assert [c.id for c in s.pending_contacts()] == [c.id for c in one_by_one.pending_contacts()]
    s.close()
    one_by_one.close()
