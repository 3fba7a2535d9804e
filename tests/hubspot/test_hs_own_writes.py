"""syncd's own contact writes are folded into the contacts cursor: reading them back costs a
count, not a re-read, and a change by anyone else in the same moments is still read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from connectors.hubspot.cursors import KeysetCursor, OwnWindow
from hs_portal import small_seed, start_portal


def _ids(batches) -> list[str]:
    return sorted(c.id for b in batches for c in b.contacts)


def _searches(connector) -> int:
    return connector.usage().calls.get("POST /crm/v3/objects/contacts/search", 0)


@pytest.fixture
def written():
    """A portal read once, then 150 contacts updated by syncd (the clock stands still)."""
    portal, served = start_portal(small_seed(200))
    connector = portal.connector(overlap=timedelta(minutes=5), search_page_size=100)
    portal.cycle(connector)
    portal.tick(minutes=20)
    results = connector.update_contacts([{"id": str(1001 + i), "properties": {"jobtitle": "Scored"}}
                                         for i in range(150)])
    assert all(r.ok for r in results)
    portal.cursors.update(connector.fold_own_writes(portal.cursors))
    yield portal, connector
    served.shutdown()


def test_reading_back_syncds_own_writes_costs_two_searches_not_a_reread(written):
    portal, connector = written
    portal.tick(seconds=30)
    before = _searches(connector)
    assert _ids(portal.cycle(connector)) == []
    assert _searches(connector) - before == 2  # the window's count, the rest of the range


def test_a_change_by_someone_else_inside_the_write_burst_is_read(written):
    portal, connector = written
    portal.state.upsert_contact({"firstname": "Edited"}, id="1180")  # same millisecond as the writes
    portal.tick(seconds=30)
    assert _ids(portal.cycle(connector)) == ["1180"]


def test_a_contact_syncd_wrote_and_someone_then_changed_is_read_once(written):
    portal, connector = written
    portal.tick(seconds=10)
    portal.state.upsert_contact({"firstname": "Edited"}, id="1007")
    portal.tick(seconds=10)
    before = _searches(connector)
    assert _ids(portal.cycle(connector)) == ["1007"]
    assert _searches(connector) - before == 2  # the count still matches: 1007 left the window
    portal.tick(seconds=10)
    assert _ids(portal.cycle(connector)) == []


def test_the_window_settles_once_older_than_the_overlap(written):
    portal, connector = written
    portal.tick(minutes=6)
    portal.cycle(connector)
    cursor = KeysetCursor.load(portal.cursors["contacts"], "contacts")
    assert cursor.own == ()  # settled: its time joined what was read
    before = _searches(connector)
    portal.tick(minutes=1)
    assert _ids(portal.cycle(connector)) == []
    assert _searches(connector) - before == 1


def test_a_first_read_ignores_own_writes_and_a_cursor_round_trips_its_windows():
    assert KeysetCursor().with_own_writes({"1": 5}) == KeysetCursor()
    cursor = KeysetCursor(ts=1, seen={"9": 1}).with_own_writes({"1": 5, "2": 7})
    assert cursor.own == (OwnWindow(5, 7),) and cursor.seen["2"] == 7
    assert KeysetCursor.load(cursor.dump(), "contacts") == cursor
    with pytest.raises(ValueError, match="'own'"):
        KeysetCursor.load({"ts": 1, "own": [[1, 2, 3]]}, "contacts")


def test_more_windows_than_a_search_can_skip_are_merged_oldest_first():
    cursor = KeysetCursor(ts=1, seen={"x": 1})
    for i in range(5):
        cursor = cursor.with_own_writes({str(i): 100 * (i + 1)})
    assert len(cursor.own) == 3 and cursor.own[0] == OwnWindow(100, 300)


def test_past_the_bound_own_writes_are_not_kept_and_the_next_read_reads_them(monkeypatch):
    """Memory stays flat however many contacts one cycle writes: past ``OWN_WRITES_MAX``
    versions none are kept, and the next read reads those contacts again (the cycle's echo
    check recognises them by value) instead of trusting a window it no longer knows."""
    monkeypatch.setattr("connectors.hubspot.connector.OWN_WRITES_MAX", 100)
    portal, served = start_portal(small_seed(200))
    try:
        connector = portal.connector(overlap=timedelta(minutes=5), search_page_size=100)
        portal.cycle(connector)
        portal.tick(minutes=20)
        for start in (0, 80, 160):  # 80 kept, then 160: past the bound, then 30 more
            rows = [{"id": str(1001 + i), "properties": {"jobtitle": "Scored"}}
                    for i in range(start, min(start + 80, 190))]
            assert all(r.ok for r in connector.update_contacts(rows))
        assert connector.own_writes == {}
        assert connector.fold_own_writes(portal.cursors) is None
        portal.tick(seconds=30)
        assert _ids(portal.cycle(connector)) == sorted(str(1001 + i) for i in range(190))
        connector.update_contacts([{"id": "1001", "properties": {"jobtitle": "Again"}}])  # a new fold: tracked
        assert list(connector.own_writes) == ["1001"]
    finally:
        served.shutdown()
