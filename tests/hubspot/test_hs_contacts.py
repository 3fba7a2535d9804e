"""Incremental contacts: bursts past the search cap, overlap dedupe, merges, deletions,
late events, and what an idle cycle costs."""

from __future__ import annotations

from datetime import timedelta

from hs_portal import NOW, small_seed, start_portal


def _contact_ids(batches) -> list[str]:
    return [c.id for b in batches for c in b.contacts]


def test_a_burst_in_one_millisecond_beyond_the_search_cap_is_read_completely():
    portal, served = start_portal(small_seed(10), search_total_cap=50)
    try:
        connector = portal.connector(search_page_size=20)
        portal.cycle(connector)
        portal.tick(minutes=15)
        for i in range(130):  # one millisecond: the clock does not move
            portal.state.upsert_contact({"email": f"burst{i}@example.com"})
        portal.tick(seconds=1)
        portal.state.upsert_contact({"email": "after@example.com"})
        ids = _contact_ids(portal.cycle(connector))
        assert len(ids) == len(set(ids)) == 131
        assert "after@example.com" in {c["properties"]["email"] for c in
                                        [portal.state.contact(i) for i in ids[-1:]]}
    finally:
        served.shutdown()


def test_the_overlap_window_is_reread_without_emitting_twice(portal):
    connector = portal.connector(overlap=timedelta(minutes=5))
    first = _contact_ids(portal.cycle(connector))
    assert sorted(first) == [str(1001 + i) for i in range(20)]
    portal.tick(minutes=1)  # the next read starts inside the overlap: it re-reads, dedupes
    portal.state.upsert_contact({"firstname": "Changed"}, id="1005")
    assert _contact_ids(portal.cycle(connector)) == ["1005"]
    portal.tick(minutes=1)
    assert _contact_ids(portal.cycle(connector)) == []


def test_an_idle_cycle_costs_at_most_two_calls(portal):
    connector = portal.connector()
    portal.cycle(connector)
    portal.tick(minutes=15)
    before = connector.usage().total
    batches = portal.cycle(connector)
    assert connector.usage().total - before <= 2
    assert not any(b.contacts or b.events for b in batches)


def _record_late(portal) -> None:
    late = NOW - timedelta(hours=6)  # occurred long before the cursor, recorded now
    portal.state.record_email_event("p2@example.com", "CLICK", campaign_id=1, url="u", occurred_at=late)
    portal.state.record_event("1003", "e_visited_page", occurred_at=late, properties={"hs_url": "u"})
    portal.state.record_form_submission("f0000000-0000-4000-8000-000000000001",
                                        {"email": "p4@example.com"}, occurred_at=late)
    portal.state.record_engagement("calls", ["1005"], {}, occurred_at=late - timedelta(days=30))


def _streams(batches) -> list[str]:
    return sorted(e.id.split(":")[0] for b in batches for e in b.events)


def test_late_events_are_emitted_once_in_the_cycle_they_become_visible(portal):
    connector = portal.connector(late_sweep_every=timedelta(0))  # every cycle sweeps
    portal.state.record_email_event("p1@example.com", "OPEN", campaign_id=1)
    portal.cycle(connector)
    portal.tick(minutes=15)
    _record_late(portal)
    assert _streams(portal.cycle(connector)) == ["calls", "email_events", "events", "form_submissions"]
    portal.tick(minutes=15)
    portal.state.upsert_contact({"firstname": "x"}, id="1002")
    portal.cycle(connector)
    result = portal.audit()
    assert result["missed"] == result["duplicated"] == result["unexpected"] == 0


def test_late_feed_events_wait_for_the_hourly_sweep_even_if_nothing_else_changes(portal):
    connector = portal.connector(late_sweep_every=timedelta(hours=1))
    portal.state.record_email_event("p1@example.com", "OPEN", campaign_id=1)  # marks at NOW
    portal.state.record_event("1001", "e_visited_page", properties={"hs_url": "u"})
    portal.state.record_form_submission("f0000000-0000-4000-8000-000000000001", {"email": "p1@example.com"})
    portal.cycle(connector)  # the first read sweeps
    portal.tick(minutes=15)
    _record_late(portal)
    # Between sweeps feeds are read from just below their mark: only the engagement
    # object (read by creation time) is seen now.
    assert _streams(portal.cycle(connector)) == ["calls"]
    portal.tick(minutes=15)
    before = connector.usage().total
    assert _streams(portal.cycle(connector)) == []  # idle, sweep not due yet
    assert connector.usage().total - before == 1
    portal.tick(minutes=45)
    assert _streams(portal.cycle(connector)) == ["email_events", "events", "form_submissions"]
    portal.tick(minutes=15)
    before = connector.usage().total
    portal.cycle(connector)
    assert connector.usage().total - before == 1  # nothing owed any more
    result = portal.audit()
    assert result["missed"] == result["duplicated"] == result["unexpected"] == 0


def test_merged_contacts_are_followed_to_the_survivor(portal):
    connector = portal.connector()
    portal.cycle(connector)
    portal.tick(minutes=15)
    survivor = portal.state.merge_contacts("1001", "1002")
    portal.state.record_email_event("p1@example.com", "OPEN", campaign_id=3)  # old address
    batches = portal.cycle(connector)
    assert [m for b in batches for m in b.merges] == [("1002", survivor)]
    opens = [e for b in batches for e in b.events]
    assert [e.contact_id for e in opens] == [survivor]
    assert portal.audit()["missed"] == 0


def test_archived_contacts_are_reported_once(portal):
    connector = portal.connector(deletion_scan_every=timedelta(minutes=10))
    portal.cycle(connector)
    portal.state.archive_contact("1007")
    portal.tick(minutes=15)
    assert [d for b in portal.cycle(connector) for d in b.deleted] == ["1007"]
    portal.tick(minutes=15)
    assert [d for b in portal.cycle(connector) for d in b.deleted] == []


def test_ids_named_by_webhooks_are_read_first_and_gdpr_deletions_reported(portal):
    connector = portal.connector()
    portal.cycle(connector)
    portal.tick(minutes=15)
    portal.state.gdpr_delete("1004")
    survivor = portal.state.merge_contacts("1010", "1011")
    batches = portal.cycle(connector, priority_ids=["1004", "1011", "1012"])
    first = batches[0]
    assert first.deleted == ["1004"]
    assert first.merges == [("1011", survivor)]
    assert sorted(c.id for c in first.contacts) == sorted({survivor, "1012"})
    later = [c.id for b in batches[1:] for c in b.contacts]
    assert survivor not in later  # already emitted in this version
